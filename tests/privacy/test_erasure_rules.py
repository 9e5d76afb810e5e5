"""Who may erase whom (a unit administrator above a departed member, or a superuser; never
oneself), every stored PDF of the member's certificates removed, erasures and retention runs
visible to the administrators of the area."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from certificates import services as certificate_services
from certificates.models import Certificate
from notifications.models import Delivery, Kind, Notification
from organisations import services as org
from organisations.models import Membership, Role
from privacy import services
from privacy.models import ErasureRecord

from .test_erasure import REASON, _file_texts, _private_root, depart

pytestmark = pytest.mark.django_db

STILL_IN_A_TEAM = "vẫn đang là thành viên của một tổ"


def test_a_member_still_in_a_team_is_not_erased_and_the_refusal_says_what_to_do(client, tree, held):
    member = held.member
    client.force_login(tree.commune_admin)
    url = reverse("privacy_admin:erase", args=[member.pk])
    page = client.get(url).content.decode()
    assert STILL_IN_A_TEAM in page and "kết thúc tư cách thành viên" in page
    assert 'name="confirm"' not in page
    search = client.get(reverse("privacy_admin:erase_search"), {"q": member.phone})
    assert STILL_IN_A_TEAM in search.content.decode()
    refused = client.post(url, {"reason": REASON, "confirm": "1"})
    assert refused.status_code == 400 and STILL_IN_A_TEAM in refused.content.decode()
    assert User.objects.get(pk=member.pk).phone == member.phone
    assert not ErasureRecord.objects.exists()


def test_team_leaders_do_not_reach_erasure(client, tree, held):
    depart(client, tree.commune_admin, held.member)
    client.force_login(tree.leader)
    assert client.get(reverse("privacy_admin:erase_search")).status_code == 404
    url = reverse("privacy_admin:erase", args=[held.member.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": REASON, "confirm": "1"}).status_code == 404
    assert not ErasureRecord.objects.exists()


def test_nobody_erases_themselves_not_even_a_superuser(client, tree):
    for person in (tree.root, tree.commune_admin):
        client.force_login(person)
        url = reverse("privacy_admin:erase", args=[person.pk])
        response = client.post(url, {"reason": REASON, "confirm": "1"})
        assert response.status_code in (400, 404)
        if response.status_code == 400:
            assert "tự xoá" in response.content.decode()
        assert User.objects.get(pk=person.pk).erased_at is None
    with pytest.raises(Exception, match="own data"):
        from django.utils import translation

        with translation.override("en"):
            services.erase_member(by=tree.root, member=tree.root, reason=REASON)


def test_a_departed_member_who_moved_to_another_commune_is_not_erased_here(client, tree, held):
    member = held.member
    org.assign_role(by=tree.root, user=member, unit=tree.t3, role=Role.MEMBER)  # moved to Y
    client.force_login(tree.commune_admin)
    response = client.post(
        reverse("privacy_admin:erase", args=[member.pk]), {"reason": REASON, "confirm": "1"}
    )
    assert response.status_code == 400 and STILL_IN_A_TEAM in response.content.decode()
    assert User.objects.get(pk=member.pk).erased_at is None


def test_every_stored_pdf_of_the_certificates_goes_with_the_erasure(client, tree, held):
    member, certificate = held.member, held.certificate
    name = member.full_name
    storage = Certificate._meta.get_field("pdf").storage
    first = certificate.pdf.name
    # An older copy left by a regeneration that did not clean up (the storage added a
    # suffix: CODE_xxxxxxx.pdf), and one in another month's folder.
    content = storage.open(first).read()
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(content), save=True)
    assert certificate.pdf.name != first and storage.exists(first)
    storage.save(f"certificates/2025/01/{certificate.code}_aB3xYz9.pdf", ContentFile(content))
    assert len(certificate_services.pdf_file_names(certificate)) == 3

    # Regenerating keeps exactly one file.
    certificate_services.regenerate_pdf(certificate=certificate)
    certificate.refresh_from_db()
    assert certificate_services.pdf_file_names(certificate) == [certificate.pdf.name]
    assert certificate.pdf.name.endswith(f"/{certificate.code}.pdf")
    storage.save(f"certificates/2025/01/{certificate.code}_aB3xYz9.pdf", ContentFile(content))

    depart(client, tree.commune_admin, member)
    response = client.post(
        reverse("privacy_admin:erase", args=[member.pk]), {"reason": REASON, "confirm": "1"}
    )
    assert response.status_code == 302
    assert certificate_services.pdf_file_names(Certificate.objects.get(pk=certificate.pk)) == []
    assert [t[:120] for t in _file_texts(_private_root()) if name in t] == []
    assert ErasureRecord.objects.get().counts["certificate_pdfs"] == 2


def test_the_province_sees_the_erasures_of_its_area_and_the_retention_runs(
    client, tree, held, make_user
):
    depart(client, tree.commune_admin, held.member)
    client.post(
        reverse("privacy_admin:erase", args=[held.member.pk]), {"reason": REASON, "confirm": "1"}
    )
    record = ErasureRecord.objects.get()
    assert record.unit == tree.t1 and record.unit_path == tree.t1.path
    services.apply_retention()

    client.force_login(tree.province_admin)
    html = client.get(reverse("privacy_admin:erase_search")).content.decode()
    assert f"#{held.member.pk}" in html and REASON in html and tree.t1.name in html
    runs = client.get(reverse("privacy_admin:retention_runs"))
    assert (
        runs.status_code == 200 and "Các lần xoá dữ liệu hết thời hạn lưu" in runs.content.decode()
    )

    other = make_user(username="yadmin", phone="+84900000010")
    org.assign_role(by=tree.root, user=other, unit=tree.y, role=Role.UNIT_ADMIN)
    client.force_login(other)
    assert REASON not in client.get(reverse("privacy_admin:erase_search")).content.decode()
    # Commune administrators and team leaders do not read the retention runs.
    for someone in (other, tree.commune_admin, tree.leader):
        client.force_login(someone)
        assert client.get(reverse("privacy_admin:retention_runs")).status_code in (302, 404)
    client.force_login(tree.root)
    assert client.get(reverse("privacy_admin:retention_runs")).status_code == 200


def test_a_retention_run_counts_the_notifications_not_their_deliveries(client, tree):
    old = timezone.now() - timedelta(days=400)
    for n in range(3):
        note = Notification.objects.create(
            user=tree.member1, kind=Kind.ASSIGNED, key=f"k{n}", params={}
        )
        Delivery.objects.create(
            notification=note,
            channel="sms",
            address=tree.member1.phone,
            status=Delivery.Status.PENDING,
            not_before=timezone.now(),
        )
    Notification.objects.update(created_at=old)
    run = services.apply_retention()
    assert run.counts["notifications"] == 3
    assert not Notification.objects.exists()
    client.force_login(tree.root)
    html = client.get(reverse("privacy_admin:retention_runs")).content.decode()
    assert "Thông báo: 3" in html


def test_an_erased_member_reads_as_such_in_lists(tree):
    member = tree.member1
    services.erase_member(by=None, member=member, reason=REASON)
    erased = User.objects.get(pk=member.pk)
    assert str(erased) == f"Thành viên đã xoá dữ liệu (#{member.pk})"
    assert erased.username == f"da-xoa-{member.pk}"
    assert Membership.objects.filter(user=member).exists()
