"""Uploads refused while they stream in, not after they are stored.

A view decorated with `bounded_upload` stops keeping an uploaded file as soon as it grows
past `MAX_FILE_BYTES`: the rest of the request is read and thrown away, nothing reaches the
disk, and the form says the file is too large. (A reverse proxy's body limit, see
docs/configuration.md, keeps such requests from reaching the application at all.)
"""

from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .middleware import refuse_nul_in_form
from .spreadsheets import MAX_FILE_BYTES

__all__ = ["bounded_upload", "upload_too_large"]


class LimitedUploadHandler(FileUploadHandler):
    """Counts each file's bytes as they arrive and skips the file past the limit."""

    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data  # the next handler (memory or temporary file) keeps it

    def file_complete(self, file_size):
        return None


def bounded_upload(view):
    """Limit the files of a view's requests to MAX_FILE_BYTES, counted while they stream.

    Upload handlers must be in place before anything reads request.POST, which the CSRF
    middleware does: the check is therefore made here, after the handler is installed."""

    protected = csrf_protect(view)

    @wraps(view)
    @csrf_exempt
    def wrapper(request, *args, **kwargs):
        handler = LimitedUploadHandler(request, limit=MAX_FILE_BYTES)
        request.upload_handlers.insert(0, handler)
        request._upload_limit_handler = handler
        return refuse_nul_in_form(request) or protected(request, *args, **kwargs)

    wrapper.reads_body_itself = True
    return wrapper


def upload_too_large(request) -> bool:
    handler = getattr(request, "_upload_limit_handler", None)
    return bool(handler and handler.exceeded)
