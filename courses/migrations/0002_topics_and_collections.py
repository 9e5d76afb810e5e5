"""The four starting topics, and an image/document collection for each (trainers' group
permissions on the root collection cover them)."""

from django.db import migrations

TOPICS = [
    ("Ứng dụng và dịch vụ công mới", "ung-dung-va-dich-vu-cong-moi"),
    ("Thanh toán số", "thanh-toan-so"),
    ("An toàn thông tin", "an-toan-thong-tin"),
    ("Lừa đảo trực tuyến", "lua-dao-truc-tuyen"),
]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _step(number: int) -> str:
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(4, "0")


def seed(apps, schema_editor):
    Topic = apps.get_model("courses", "Topic")
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).first()
    for name, slug in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})
        if root is None or Collection.objects.filter(depth=2, name=name).exists():
            continue
        children = Collection.objects.filter(depth=2, path__startswith=root.path)
        last = children.order_by("-path").values_list("path", flat=True).first()
        number = int(last[-4:], 36) + 1 if last else 1
        Collection.objects.create(name=name, depth=2, path=root.path + _step(number), numchild=0)
        root.numchild = children.count()
        root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
