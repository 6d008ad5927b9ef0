# Story controls (issue 13, point 7): which page URLs may become stories, whether a page may
# suggest a new story's title, where a story's title came from, and the audit action for a
# title set in the desk. Stories that exist keep their titles as unconfirmed suggestions.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("threadline", "0008_guest_identity"),
    ]

    operations = [
        migrations.AddField(
            model_name="site",
            name="story_paths",
            field=models.TextField(
                blank=True,
                default="",
                help_text="One a line: a path prefix (/news/) or a pattern over path and query "
                "where * stands for any run of characters but ? (/20*/*). Empty: any page of "
                "your origins.",
                verbose_name="Story URL paths",
            ),
        ),
        migrations.AddField(
            model_name="site",
            name="accept_suggested_titles",
            field=models.BooleanField(
                default=True,
                help_text="The first reader's widget sends the page's title; it stays a "
                "suggestion until you set the title in the desk.",
                verbose_name="Title new stories from the page",
            ),
        ),
        migrations.AddField(
            model_name="story",
            name="title_source",
            field=models.CharField(
                choices=[
                    ("suggested", "Suggested by a page"),
                    ("publisher", "Set by the publisher"),
                ],
                default="suggested",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="moderationevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("publish", "Published"),
                    ("hold", "Held for review"),
                    ("reject", "Rejected"),
                    ("approve", "Approved"),
                    ("delete", "Deleted"),
                    ("restore", "Restored"),
                    ("ban", "Banned"),
                    ("unban", "Unbanned"),
                    ("pin", "Pinned"),
                    ("feature", "Featured"),
                    ("close", "Thread closed"),
                    ("open", "Thread opened"),
                    ("settings", "Settings changed"),
                    ("retitle", "Story title set"),
                    ("note", "Note"),
                ],
                max_length=10,
            ),
        ),
    ]
