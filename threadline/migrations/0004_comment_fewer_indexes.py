"""Drop the single-column indexes Django adds for ForeignKeys where a composite index or
unique constraint already starts with that column; each one cost every comment insert.

- comment.site_id: comment_queue, comment_site_recent, comment_unique_external_id
- comment.story_id: comment_story_top, comment_story_root
- comment.commenter_id: comment_commenter
- vote.comment_id: vote_once; flag.comment_id: flag_once

The database side drops the indexes by name rather than letting AlterField run, which on
SQLite would copy the whole comment table three times.
"""

import django.db.models.deletion
from django.db import migrations, models

# (index name Django generated in 0001, table, column)
INDEXES = [
    ("threadline_comment_site_id_78dbf30c", "threadline_comment", "site_id"),
    ("threadline_comment_story_id_a514b595", "threadline_comment", "story_id"),
    ("threadline_comment_commenter_id_570914ca", "threadline_comment", "commenter_id"),
    ("threadline_vote_comment_id_966b6c0c", "threadline_vote", "comment_id"),
    ("threadline_flag_comment_id_5c6a28cf", "threadline_flag", "comment_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("threadline", "0003_site_moderation_defaults"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="comment",
                    name="commenter",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="comments",
                        to="threadline.commenter",
                    ),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="site",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="threadline.site",
                    ),
                ),
                migrations.AlterField(
                    model_name="comment",
                    name="story",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="comments",
                        to="threadline.story",
                    ),
                ),
                migrations.AlterField(
                    model_name="flag",
                    name="comment",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="flags",
                        to="threadline.comment",
                    ),
                ),
                migrations.AlterField(
                    model_name="vote",
                    name="comment",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="votes",
                        to="threadline.comment",
                    ),
                ),
            ],
        ),
    ]
