"""Vietnamese names for the rows Wagtail's own migrations create in English.

The admin shows them to trainers and administrators: the root page and the root collection
("Root"), the default groups ("Moderators", "Editors") and the default review workflow and
its task ("Moderators approval", shown on the page editor's "Gửi duyệt: …" button). Only rows
that still carry Wagtail's default name are renamed, so a name chosen by an administrator is
kept; reversing restores the English names.
"""

import swapper
from django.db import migrations

# (app label, model, field, English default, Vietnamese name, extra filter)
RENAMES = [
    ("wagtailcore", "Collection", "name", "Root", "Gốc", {"depth": 1}),
    ("auth", "Group", "name", "Moderators", "Người duyệt", {}),
    ("auth", "Group", "name", "Editors", "Biên tập viên", {}),
    ("wagtailcore", "Task", "name", "Moderators approval", "Người duyệt kiểm tra", {}),
    ("wagtailcore", "Workflow", "name", "Moderators approval", "Duyệt trước khi xuất bản", {}),
]


def _rename(apps, forward):
    for app_label, model_name, field, english, vietnamese, extra in RENAMES:
        old, new = (english, vietnamese) if forward else (vietnamese, english)
        model = apps.get_model(app_label, model_name)
        if model_name == "Group" and model.objects.filter(**{field: new}).exists():
            continue  # group names are unique: keep an administrator's own group
        model.objects.filter(**{field: old, **extra}).update(**{field: new})
    page = apps.get_model(*swapper.get_model_name("wagtailcore", "Page").split("."))
    old, new = ("Root", "Gốc") if forward else ("Gốc", "Root")
    page.objects.filter(depth=1, title=old).update(title=new, draft_title=new)


def forwards(apps, schema_editor):
    _rename(apps, forward=True)


def backwards(apps, schema_editor):
    _rename(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
