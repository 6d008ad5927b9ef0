# A new default warning threshold for the retrained toxicity model (docs/moderation.md).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("threadline", "0002_notifications"),
    ]

    operations = [
        migrations.AlterField(
            model_name="site",
            name="warn_threshold",
            field=models.FloatField(default=0.51),
        ),
    ]
