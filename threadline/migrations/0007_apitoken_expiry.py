# Bearer tokens expire (THREADLINE_TOKEN_DAYS, sliding) and carry a label so readers can
# list and revoke their sessions (docs/api.md). Tokens made before this migration get a
# full window from the day it runs, rather than being cut off at once.

import datetime

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def _expiry_for_existing_tokens() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.THREADLINE.get("TOKEN_DAYS", 30))


class Migration(migrations.Migration):
    dependencies = [
        ("threadline", "0006_site_hold_profanity"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(default=_expiry_for_existing_tokens),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="apitoken",
            name="label",
            field=models.CharField(blank=True, default="", max_length=120),
        ),
    ]
