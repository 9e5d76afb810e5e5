"""The sessions bench/ logs its members in with are those of members who accepted the
privacy notice, as every real member has before opening anything."""

import pytest

from bench.gunicorn_server import accept_privacy_notice, session_key_for
from privacy.models import PrivacyNotice
from tests.privacy.conftest import publish_notice

pytestmark = pytest.mark.django_db


def test_bench_members_get_past_the_privacy_notice(settings, client, home_page, make_user):
    settings.PRIVACY_CONSENT_REQUIRED = True
    newest = PrivacyNotice.objects.order_by("-version").first()
    publish_notice(newest.version + 1 if newest else 1)
    accepted, other = make_user(username="da-dong-y"), make_user(username="chua-dong-y")
    extra = accept_privacy_notice([accepted])
    client.cookies["sessionid"] = session_key_for(accepted, extra=extra)
    assert client.get("/").status_code == 200
    client.cookies["sessionid"] = session_key_for(other)
    assert client.get("/")["Location"].startswith("/privacy/")
