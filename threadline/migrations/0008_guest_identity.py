# A guest is no longer identified by the address they type: browsers point to the
# commenter of an address they confirmed, e-mail and IP bans are explicit rows, and the
# commenters that a typed address used to identify stop identifying anyone.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr


def retire_typed_addresses(apps, schema_editor):  # noqa: ANN001,ANN201
    """Commenters keyed by a typed, never confirmed address keep their history under a key
    no post resolves to. Their bans become explicit e-mail bans: what the moderator banned
    was, in effect, whoever types that address, and an upgrade must not lift it."""
    Commenter = apps.get_model("threadline", "Commenter")
    Ban = apps.get_model("threadline", "Ban")
    typed = Commenter.objects.filter(key__startswith="email:")
    banned = typed.filter(Q(banned_forever=True) | Q(banned_until__isnull=False)).exclude(email="")
    for c in banned.iterator():
        Ban.objects.get_or_create(
            site_id=c.site_id,
            kind="email",
            value=c.email.strip().lower(),
            defaults={
                "until": None if c.banned_forever else c.banned_until,
                "message": c.ban_message,
            },
        )
    typed.update(key=Concat(Value("typed:"), Substr("key", len("email:") + 1)))


def restore_typed_addresses(apps, schema_editor):  # noqa: ANN001,ANN201
    Commenter = apps.get_model("threadline", "Commenter")
    Commenter.objects.filter(key__startswith="typed:").update(
        key=Concat(Value("email:"), Substr("key", len("typed:") + 1))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("threadline", "0007_apitoken_expiry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="commenter",
            name="identity",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="devices",
                to="threadline.commenter",
            ),
        ),
        migrations.AddField(
            model_name="subscription",
            name="device_key",
            field=models.CharField(blank=True, max_length=80),
        ),
        migrations.CreateModel(
            name="Ban",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("email", "E-mail address"), ("ip", "IP address or network")],
                        max_length=8,
                    ),
                ),
                ("value", models.CharField(max_length=254)),
                ("until", models.DateTimeField(blank=True, null=True)),
                ("message", models.CharField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "site",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="bans",
                        to="threadline.site",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("site", "kind", "value"), name="ban_unique_value"
                    )
                ],
            },
        ),
        migrations.RunPython(retire_typed_addresses, restore_typed_addresses),
    ]
