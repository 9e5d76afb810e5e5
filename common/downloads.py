"""Serving a private file (certificate PDF, report export, data export ZIP, certificate
archive; activation-code lists made on the spot) to someone the calling view has already
allowed to have it.

The view checks access, as before; `serve_private_file` only serves, in one of three ways:

- private storage in an S3 bucket (`PRIVATE_BUCKET_NAME`): a redirect to a link signed for
  `PRIVATE_FILES_URL_SECONDS` seconds; the bucket sends the bytes, with our headers;
- `PRIVATE_FILES_ACCEL_REDIRECT` on (nginx in front, files on a disk it reads): an empty
  response whose `X-Accel-Redirect` names the file under nginx's `internal` location
  (`PRIVATE_FILES_ACCEL_PREFIX`, deploy/nginx/digiskills.conf); nginx sends the bytes;
- otherwise the application streams the file itself (the demo, development).

Every answer is `Cache-Control: private, no-store`, and names the file for the browser in
`Content-Disposition` (RFC 6266 / RFC 5987: an ASCII name and the Vietnamese one).
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control

from .text import slugify_vi

__all__ = ["content_disposition", "serve_private_content", "serve_private_file"]


def _ascii_fallback(filename: str) -> str:
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    ascii_stem = slugify_vi(stem) or "tep"
    ascii_extension = "".join(c for c in extension if c.isascii() and c.isalnum())
    return f"{ascii_stem}.{ascii_extension}" if ascii_extension else ascii_stem


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="..."; filename*=UTF-8''...`: browsers that read RFC 5987 show
    the Vietnamese name, older ones an ASCII one without accents."""
    kind = "inline" if inline else "attachment"
    if filename.isascii() and '"' not in filename and "\\" not in filename:
        plain = filename
    else:
        plain = _ascii_fallback(filename)
    header = f'{kind}; filename="{plain}"'
    if plain != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def serve_private_file(file, *, filename: str = "", content_type: str = ""):
    """The stored file `file` (a FieldFile) as a download named `filename` (default: its
    own name). 404 when there is no file. Access is the caller's to check, before."""
    if not file:
        raise Http404
    name = file.name
    filename = filename or name.rsplit("/", 1)[-1]
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    disposition = content_disposition(filename)
    storage = file.storage
    download_url = getattr(storage, "download_url", None)
    if download_url is not None:  # object storage: the bucket serves it
        url = download_url(
            name,
            disposition=disposition,
            content_type=content_type,
            seconds=settings.PRIVATE_FILES_URL_SECONDS,
        )
        return _private(HttpResponseRedirect(url))
    if settings.PRIVATE_FILES_ACCEL_REDIRECT:  # nginx serves it from its internal location
        if not storage.exists(name):
            raise Http404
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_FILES_ACCEL_PREFIX + quote(name)
        response["Content-Disposition"] = disposition
        return _private(response)
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = disposition
    return _private(response)


def serve_private_content(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    """A file made for this request (e.g. a unit's activation codes), with the same headers
    as a stored one."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    return _private(response)
