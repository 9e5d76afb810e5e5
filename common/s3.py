"""Object storage (django-storages' S3 backend) for the private files: certificate PDFs,
exports, archives, uploaded rosters. Used when PRIVATE_BUCKET_NAME is set (settings)."""

from storages.backends.s3 import S3Storage

__all__ = ["PrivateS3Storage"]


class PrivateS3Storage(S3Storage):
    """A bucket without public reads. Like the disk storage it has no public URL: a view that
    checked access hands out a link signed for a few seconds (`common.downloads`)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError(
            "Private files have no public URL; serve them through a view that checks access."
        )

    def download_url(self, name: str, *, disposition: str, content_type: str, seconds: int) -> str:
        """A presigned GET valid for `seconds`; the bucket answers with our headers."""
        return super().url(
            name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=seconds,
        )
