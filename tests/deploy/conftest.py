from tests.certificates.conftest import completed  # noqa: F401 - a member with a certificate due
