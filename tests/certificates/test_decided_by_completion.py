"""Issuing is decided by the completion: whatever happened to its certificate (revoked,
replaced), running the issue task again, on any path, changes nothing. Re-issuing and
renewing are explicit replacements."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from certificates import services, tasks
from certificates.models import Certificate, CertificateEvent
from common import outbox
from common.models import OutboxMessage
from courses.models import CourseCompletion
from courses.signals import course_completed
from notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def revoked(completed, django_capture_on_commit_callbacks):
    """The completion's certificate was issued (with its notice), then revoked."""
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_certificate(completion_id=completed.completion.pk)
    services.revoke_certificate(
        certificate=certificate, by=completed.root, reason="Họ tên không khớp CCCD"
    )
    assert _issued_notices(completed.member) == 1
    return certificate


def _issued_notices(member) -> int:
    return Notification.objects.filter(user=member, kind=Kind.CERTIFICATE_ISSUED).count()


def _assert_unchanged(completed, revoked):
    assert list(Certificate.objects.filter(user=completed.member)) == [revoked]
    revoked.refresh_from_db()
    assert revoked.status() == "revoked"
    assert _issued_notices(completed.member) == 1
    assert CertificateEvent.objects.filter(action="ISSUED").count() == 1


def test_running_the_issue_task_again_does_not_resurrect_a_revoked_certificate(
    completed, revoked, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            tasks.issue_certificate(completion_id=completed.completion.pk)
            tasks.issue_certificate.apply(kwargs={"completion_id": completed.completion.pk})
    _assert_unchanged(completed, revoked)


def test_the_outbox_sweep_and_a_repeated_event_do_not_resurrect_it(
    completed, revoked, django_capture_on_commit_callbacks
):
    # A message the sweep still holds (queued when the broker was down) ...
    stale = OutboxMessage.objects.create(
        task_name="certificates.tasks.issue_certificate",
        kwargs={"completion_id": completed.completion.pk},
    )
    OutboxMessage.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.dispatch_pending() >= 1
        # ... and the event sent again (a retried request, a second worker).
        for _ in range(2):
            course_completed.send(
                sender=CourseCompletion,
                user_id=completed.member.pk,
                course_id=completed.course.pk,
                completion_id=completed.completion.pk,
            )
        outbox.dispatch_pending(older_than=timedelta(0))
    _assert_unchanged(completed, revoked)


def test_the_database_refuses_a_second_original_certificate(completed, revoked):
    duplicate = Certificate(
        code="DUPLICATE000000000",
        user=completed.member,
        course=completed.course,
        completion=completed.completion,
        full_name="x",
        course_title="x",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_an_administrator_reissues_through_the_screen_once(client, completed, revoked):
    client.force_login(completed.commune_admin)
    response = client.post(
        f"/admin/certificates/{revoked.pk}/reissue/", {"reason": "Đã sửa họ tên"}, follow=True
    )
    assert response.status_code == 200
    new = Certificate.objects.get(replaces=revoked)
    assert new.origin == Certificate.Origin.REISSUED and new.status() == "valid"
    assert new.completion_id == completed.completion.pk
    # Pressing the button again on the old certificate (a second tab) makes no third one.
    response = client.post(
        f"/admin/certificates/{revoked.pk}/reissue/", {"reason": "lần nữa"}, follow=True
    )
    assert "đã được thay bằng" in response.content.decode()
    assert Certificate.objects.filter(user=completed.member).count() == 2
    # The issue task still changes nothing: the chain's current certificate is the new one.
    assert services.issue_certificate(completion_id=completed.completion.pk) == new
    assert Certificate.objects.filter(user=completed.member).count() == 2
    # The old certificate's check page says revoked and points to the one in its place.
    page = client.get(f"/verify/{revoked.code}/").content.decode()
    assert "đã bị thu hồi" in page and f"/verify/{new.code}/" in page


def test_a_renewal_shows_as_replaced_with_a_link_to_the_new_certificate(client, completed):
    old = services.issue_certificate(completion_id=completed.completion.pk)
    new = services.renew_certificate(certificate=old)
    assert services.renew_certificate(certificate=old) == new  # safe to repeat
    assert new.origin == Certificate.Origin.RENEWED and new.replaces == old
    assert Certificate.objects.filter(user=completed.member).count() == 2

    response = client.get(f"/verify/{old.code}/")
    page = response.content.decode()
    assert "Chứng chỉ này đã được thay thế" in page
    assert "thu hồi" not in page
    assert f'href="/verify/{new.code}/"' in page
    assert "Chứng chỉ hợp lệ" in client.get(f"/verify/{new.code}/").content.decode()
    # Neither the issue task nor a repeated event brings a third certificate.
    assert services.issue_certificate(completion_id=completed.completion.pk) == new
    assert Certificate.objects.filter(user=completed.member).count() == 2


def test_a_revoked_certificate_is_not_renewed_by_re_study(completed, revoked):
    assert services.renew_certificate(certificate=revoked) is None
    assert Certificate.objects.filter(user=completed.member).count() == 1


def test_the_administrator_list_tells_replaced_from_revoked(client, completed, revoked):
    """Revoked, re-issued as `new`, and `new` renewed later: `revoked` is listed as revoked,
    `new` as replaced."""
    new = services.reissue_certificate(certificate=revoked, by=completed.root, reason="Sửa tên")
    services.renew_certificate(certificate=new)
    client.force_login(completed.commune_admin)
    revoked_list = client.get("/admin/certificates/?status=revoked").content.decode()
    replaced_list = client.get("/admin/certificates/?status=replaced").content.decode()
    assert revoked.display_code in revoked_list and new.display_code not in revoked_list
    assert new.display_code in replaced_list and revoked.display_code not in replaced_list
    assert "Đã thay bằng chứng chỉ gia hạn" in replaced_list


def test_the_member_is_told_the_certificate_was_revoked_not_that_it_is_on_its_way(
    client, completed, revoked
):
    """The course page and "my learning" said "being issued" for a revoked certificate, a
    wait for something that never comes (the member's trial)."""
    client.force_login(completed.member)
    for url in (completed.course.url, reverse("courses:my_learning")):
        html = client.get(url, follow=True).content.decode()
        assert "đã bị thu hồi" in html, url
        assert "đang cấp" not in html.lower() and "Đang cấp" not in html, url
    # A new certificate (re-issued) is shown again as the one to download.
    with transaction.atomic():
        services.reissue_certificate(certificate=revoked, by=completed.root, reason="Sửa họ tên")
    html = client.get(completed.course.url, follow=True).content.decode()
    assert "đã bị thu hồi" not in html
