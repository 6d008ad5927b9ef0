# Strong profanity alone no longer holds a comment unless the site asks for it; the
# semantic model judges whether it is aimed at someone (docs/moderation.md).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("threadline", "0005_site_trusted_domains"),
    ]

    operations = [
        migrations.AddField(
            model_name="site",
            name="hold_profanity",
            field=models.BooleanField(
                default=True,
                help_text="Off: profanity alone no longer holds a comment; the model still holds "
                "profanity aimed at someone.",
                verbose_name="Hold comments with strong profanity",
            ),
        ),
    ]
