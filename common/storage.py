from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

__all__ = ["PrivateFileSystemStorage", "private_storage"]


class PrivateFileSystemStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT with no public address: a view that checks access serves them.

    With PRIVATE_BUCKET_NAME set, an S3 bucket without public reads takes its place
    (common.s3.PrivateS3Storage); `common.downloads` serves either."""

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
