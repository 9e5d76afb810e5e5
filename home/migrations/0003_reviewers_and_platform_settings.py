"""Reviewers ("Người duyệt nội dung") approve what trainers send for review; trainers may
edit the platform's name, logo and contacts (the platform settings)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TRAINERS = "Giảng viên"
REVIEWERS = "Người duyệt nội dung"
REVIEWER_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page"]


def _ensure_permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def forwards(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    trainers, _ = Group.objects.get_or_create(name=TRAINERS)
    trainers.permissions.add(
        Permission.objects.get(content_type__app_label="home", codename="change_platformsettings")
    )

    reviewers, _ = Group.objects.get_or_create(name=REVIEWERS)
    reviewers.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    root_page = Page.objects.filter(depth=1).first()
    if root_page is not None:
        for codename in REVIEWER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=reviewers,
                page=root_page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=codename
                ),
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, codename in [
            ("wagtailimages", "choose_image"),
            ("wagtaildocs", "choose_document"),
        ]:
            GroupCollectionPermission.objects.get_or_create(
                group=reviewers,
                collection=root_collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
            )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0002_groups_and_schedules"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
