# First-time commenters' links to trusted domains are no longer held (docs/moderation.md).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("threadline", "0004_comment_fewer_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="site",
            name="trusted_domains",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="site",
            name="use_default_trusted_domains",
            field=models.BooleanField(default=True),
        ),
    ]
