from tests.certificates.conftest import completed  # noqa: F401 - a member with a certificate due
from tests.organisations.conftest import tree  # noqa: F401 - units and their administrators
