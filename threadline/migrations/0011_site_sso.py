# Sign-in with the publisher's own accounts and staff names (issue 14, "Identity"): a
# per-site SSO secret and reserved names; the commenter a publisher vouches for, keyed by
# (site, the publisher's id), with their badge and avatar; each comment keeps the badge and
# avatar its author had, as it keeps their name.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("threadline", "0010_site_guidelines"),
    ]

    operations = [
        migrations.AddField(
            model_name="site",
            name="sso_secret",
            field=models.CharField(blank=True, default="", editable=False, max_length=128),
        ),
        migrations.AddField(
            model_name="site",
            name="reserved_names",
            field=models.TextField(
                blank=True,
                default="",
                help_text="One a line. Guests cannot post under these names, nor under the name "
                "of a moderator or of a staff member signed in from your site; case, spacing, "
                "accents and look-alike letters do not matter.",
                verbose_name="Reserved names",
            ),
        ),
        migrations.AddField(
            model_name="commenter",
            name="sso_id",
            field=models.CharField(blank=True, default="", max_length=255),
        ),
        migrations.AddField(
            model_name="commenter",
            name="badge",
            field=models.CharField(
                blank=True,
                choices=[
                    ("staff", "Staff"),
                    ("journalist", "Journalist"),
                    ("moderator", "Moderator"),
                ],
                default="",
                max_length=12,
            ),
        ),
        migrations.AddField(
            model_name="commenter",
            name="avatar_url",
            field=models.CharField(blank=True, default="", max_length=500),
        ),
        migrations.AddConstraint(
            model_name="commenter",
            constraint=models.UniqueConstraint(
                condition=models.Q(("sso_id", ""), _negated=True),
                fields=("site", "sso_id"),
                name="commenter_unique_sso_id",
            ),
        ),
        migrations.AddField(
            model_name="comment",
            name="author_badge",
            field=models.CharField(blank=True, default="", max_length=12),
        ),
        migrations.AddField(
            model_name="comment",
            name="author_avatar",
            field=models.CharField(blank=True, default="", max_length=500),
        ),
    ]
