from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("certificates", "0006_certificate_chain_per_completion")]

    operations = [
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("replaces__isnull", True)),
                fields=("completion",),
                name="one_certificate_per_completion",
            ),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("origin", "ISSUED"), ("replaces__isnull", True)),
                    models.Q(
                        models.Q(("origin", "ISSUED"), _negated=True),
                        ("replaces__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="replacements_name_what_they_replace",
            ),
        ),
    ]
