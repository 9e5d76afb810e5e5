from django.db import migrations


def create_default(apps, schema_editor):
    CertificateTemplate = apps.get_model("certificates", "CertificateTemplate")
    if not CertificateTemplate.objects.exists():
        CertificateTemplate.objects.create(
            name="Mẫu mặc định",
            is_default=True,
            issuing_organisation="Sở Khoa học và Công nghệ",
            heading="GIẤY CHỨNG NHẬN",
            wording="Đã hoàn thành khoá học “{khoa_hoc}” trên nền tảng tập huấn Tổ công nghệ số cộng đồng.",
            signatory_name="Giám đốc Sở",
            signatory_title="Giám đốc",
        )


def grant_trainers(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    trainers, _ = Group.objects.get_or_create(name="Giảng viên")
    for codename in ("add_certificatetemplate", "change_certificatetemplate", "view_certificatetemplate"):
        trainers.permissions.add(Permission.objects.get(content_type__app_label="certificates", codename=codename))


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial"), ("home", "0002_groups_and_schedules")]

    operations = [
        migrations.RunPython(create_default, migrations.RunPython.noop),
        migrations.RunPython(grant_trainers, migrations.RunPython.noop),
    ]
