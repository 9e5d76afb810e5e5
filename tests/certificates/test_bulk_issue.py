"""Issuing the missing certificates of a unit, through the certificates screen as a commune
administrator."""

import pytest
from django.urls import reverse

from certificates import services
from certificates.models import BulkIssue, Certificate
from courses.models import CourseCompletion

pytestmark = pytest.mark.django_db


def test_a_commune_admin_issues_the_missing_certificates_once(
    client, completed, make_user, django_capture_on_commit_callbacks
):
    from organisations import services as org

    revoked_member = make_user(username="bi-thu-hoi", phone="+84912000009")
    org.assign_role(by=completed.root, user=revoked_member, unit=completed.team, role="MEMBER")
    revoked = services.issue_certificate(
        completion_id=CourseCompletion.objects.create(
            user=revoked_member, course=completed.course
        ).pk
    )
    services.revoke_certificate(certificate=revoked, by=completed.root, reason="Sai tên")
    client.force_login(completed.commune_admin)
    index = client.get(reverse("certificates_admin:index")).content.decode()
    assert "Cấp các chứng chỉ còn thiếu" in index
    data = {"unit": completed.commune.pk, "course": completed.course.pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates_admin:bulk_issue_create"), data)
    job = BulkIssue.objects.get()
    assert response["Location"] == reverse("certificates_admin:bulk_issue", args=[job.pk])
    assert (job.status, job.total, job.issued_count) == ("DONE", 1, 1)
    page = client.get(response["Location"]).content.decode()
    assert "Đã cấp 1 chứng chỉ." in page
    # Tuyết has hers now; the revoked one is not issued again.
    assert Certificate.objects.filter(user=completed.member, revoked_at__isnull=True).count() == 1
    assert Certificate.objects.filter(user=revoked_member).count() == 1
    # Asked again: nothing is missing, nothing is queued.
    response = client.post(reverse("certificates_admin:bulk_issue_create"), data, follow=True)
    assert "đã có chứng chỉ" in response.content.decode()
    assert BulkIssue.objects.count() == 1
    # Another administrator cannot see the job; one outside the unit cannot start one.
    client.force_login(completed.other_admin)
    assert client.get(reverse("certificates_admin:bulk_issue", args=[job.pk])).status_code == 404
    assert client.post(reverse("certificates_admin:bulk_issue_create"), data).status_code == 404
