from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from threadline.demo import DEMO_MODERATOR, DEMO_PASSWORD, demo_moderator_password, load_demo
from threadline.models import Story


class Command(BaseCommand):
    help = "Load a demo site with stories and realistic discussions (skipped when data exists)."

    def add_arguments(self, parser):  # noqa: ANN001
        parser.add_argument(
            "--if-empty", action="store_true", help="only when there are no stories"
        )
        parser.add_argument("--origin", action="append", default=[], help="extra allowed origin")

    def handle(self, *args, if_empty: bool, origin: list[str], **opts) -> None:  # noqa: ANN002,ANN003
        if if_empty and Story.objects.exists():
            self.stdout.write("Data exists; demo not loaded.")
            return
        origins = [
            settings.PUBLIC_URL,
            "http://127.0.0.1:8000",
            "http://localhost:8000",
            "http://127.0.0.1:8765",
            "http://localhost:8765",
            *origin,
        ]
        new_moderator = not get_user_model().objects.filter(username=DEMO_MODERATOR).exists()
        password = demo_moderator_password()
        site = load_demo(origins=origins, moderator_password=password)
        if not new_moderator:
            login = f"{DEMO_MODERATOR} (existing user, password unchanged)"
        elif password == DEMO_PASSWORD:
            login = f"{DEMO_MODERATOR} / {password}"
        else:  # not a local install: a random password, shown this once
            login = f"{DEMO_MODERATOR} / {password}  (generated; shown only now)"
        self.stdout.write(
            f"Demo site '{site.name}': {site.stories.count()} stories, "
            f"{site.comments.count()} comments. Moderator: {login}"
        )
