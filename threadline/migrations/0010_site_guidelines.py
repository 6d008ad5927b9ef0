# Community guidelines per site (issue 14, "Rules and reasons"): the publisher's own page
# and/or a text Threadline shows at /guidelines/<site>/, linked from the nudge and the forms.

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("threadline", "0009_story_controls"),
    ]

    operations = [
        migrations.AddField(
            model_name="site",
            name="guidelines_url",
            field=models.URLField(
                blank=True,
                default="",
                help_text="The rules on your own site (https://…): the nudge and the comment "
                "forms link it. Empty: they link the text below, when there is one.",
                max_length=500,
                validators=[django.core.validators.URLValidator(schemes=["http", "https"])],
                verbose_name="Community guidelines page",
            ),
        ),
        migrations.AddField(
            model_name="site",
            name="guidelines_text",
            field=models.TextField(
                blank=True,
                default="",
                help_text="Markdown, shown at /guidelines/<site name>/ (with a link to your own "
                "page when you gave one).",
                max_length=20000,
                verbose_name="Community guidelines",
            ),
        ),
    ]
