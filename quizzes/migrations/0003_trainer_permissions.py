"""Trainers ("Giảng viên") manage the question bank, its imports and the topics."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    ("quizzes", "add_question"), ("quizzes", "change_question"), ("quizzes", "delete_question"),
    ("quizzes", "view_question"), ("courses", "add_topic"), ("courses", "change_topic"), ("courses", "view_topic"),
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    trainers, _ = Group.objects.get_or_create(name="Giảng viên")
    for app_label, codename in PERMISSIONS:
        trainers.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_questionimport"),
        ("courses", "0002_topics_and_collections"),
        ("home", "0002_groups_and_schedules"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
