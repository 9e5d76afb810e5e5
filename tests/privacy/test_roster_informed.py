"""Importing a roster: the administrator confirms that the members were informed of the
privacy notice; without the tick nothing is imported."""

import io

import pytest
from django.urls import reverse

from accounts.models import User
from organisations.models import RosterImport
from tests.organisations.test_roster_import import HEADER

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_import_needs_the_members_informed_tick(client, home_page, tree):
    client.force_login(tree.commune_admin)
    file = io.BytesIO(f"{HEADER}\nTrần Thị Bé,0971000002,P-X-T1,,,\n".encode())
    file.name = "danh-sach.csv"
    client.post(reverse("organisations_admin:import_upload"), {"file": file})
    job = RosterImport.objects.get()
    url = reverse("organisations_admin:import", args=[job.pk])
    page = client.get(url).content.decode()
    assert 'name="members_informed"' in page and "đã được thông báo" in page
    users = User.objects.count()

    refused = client.post(url, follow=True)
    assert "Hãy xác nhận rằng các thành viên" in refused.content.decode()
    job.refresh_from_db()
    assert job.status == "CHECKED" and job.members_informed_at is None
    assert User.objects.count() == users

    client.post(url, {"members_informed": "1"})
    job.refresh_from_db()
    assert job.status == "DONE" and job.members_informed_at is not None
    assert User.objects.filter(phone="+84971000002").exists()
