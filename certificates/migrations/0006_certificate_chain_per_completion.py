"""One certificate per completion, whatever happened to it: replacements chain from it.

Certificates already in the database are linked into chains per completion, oldest first.
A later certificate with a re-issue or renewal in its history replaces the one before it.
One with neither was issued again by a retried task after the earlier one had been revoked
(the fault this migration ends): it is revoked, with the reason in its history, and detached
from the completion, so the revocation holds."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

DUPLICATE_REASON = "Cấp trùng do lỗi: lần hoàn thành khoá học này đã có chứng chỉ %s"


def link_chains(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    CertificateEvent = apps.get_model("certificates", "CertificateEvent")
    completions = (
        Certificate.objects.filter(completion__isnull=False)
        .values("completion_id")
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1)
        .values_list("completion_id", flat=True)
    )
    for completion_id in list(completions):
        chain = list(Certificate.objects.filter(completion_id=completion_id).order_by("issued_at", "pk"))
        previous = chain[0]
        for certificate in chain[1:]:
            actions = set(certificate.events.values_list("action", flat=True))
            origin = "RENEWED" if "RENEWED" in actions else "REISSUED" if "REISSUED" in actions else ""
            if origin:
                certificate.origin = origin
                certificate.replaces = previous
                certificate.save(update_fields=["origin", "replaces"])
                previous = certificate
                continue
            reason = DUPLICATE_REASON % chain[0].code
            if certificate.revoked_at is None:
                certificate.revoked_at = timezone.now()
                certificate.revoke_reason = reason[:300]
                CertificateEvent.objects.create(
                    certificate=certificate, action="REVOKED", reason=reason[:300]
                )
            certificate.completion = None
            certificate.save(update_fields=["revoked_at", "revoke_reason", "completion"])


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0005_bulk_issue_missing_certificates"),
        ("courses", "0004_coursepage_refresher_course_and_more"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="origin",
            field=models.CharField(
                choices=[
                    ("ISSUED", "Issued on completing the course"),
                    ("REISSUED", "Re-issued by an administrator"),
                    ("RENEWED", "Renewed after re-study"),
                ],
                default="ISSUED",
                max_length=10,
                verbose_name="origin",
            ),
        ),
        migrations.AddField(
            model_name="certificate",
            name="replaces",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="replacement",
                to="certificates.certificate",
                verbose_name="replaces",
            ),
        ),
        # The constraints come in the next migration: PostgreSQL refuses to alter a table
        # with row changes still waiting for their deferred foreign-key checks.
        migrations.RunPython(link_chains, migrations.RunPython.noop),
    ]
