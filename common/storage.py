from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.utils.functional import LazyObject, empty

__all__ = ["PrivateFileSystemStorage", "attachment", "private_storage"]


class PrivateFileSystemStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT with no public address: a view that checks access serves them.

    In production this is the place to plug an S3 bucket without public reads."""

    def url(self, name):
        raise ValueError(
            "Private files have no public URL; serve them through a view that checks access."
        )


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


_private = _PrivateStorage()


def private_storage():
    """For FileField(storage=...): resolved on use, so it follows STORAGES["private"]."""
    return _private


@receiver(setting_changed)
def _forget_private_storage(setting, **kwargs):
    if setting == "STORAGES":
        _private._wrapped = empty


def attachment(file) -> FileResponse:
    """A stored file as a download under its own name (for views that checked access);
    404 when there is no file."""
    if not file:
        raise Http404
    return FileResponse(file.open("rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1])
