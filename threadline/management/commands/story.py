from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from threadline import errors
from threadline.actions.stories import story_create
from threadline.models import Site


class Command(BaseCommand):
    help = "Manage stories: `story add --site NAME --url URL --title TITLE` prints the story id."

    def add_arguments(self, parser):  # noqa: ANN001
        sub = parser.add_subparsers(dest="verb", required=True)
        add = sub.add_parser("add", help="create a story")
        add.add_argument("--site", required=True)
        add.add_argument("--url", required=True)
        add.add_argument("--title", default="")
        add.add_argument("--body", default="", help="Markdown")
        add.add_argument("--author", default="")

    def handle(self, *args, verb: str, **opts) -> None:  # noqa: ANN002,ANN003
        site = Site.objects.filter(name=opts["site"]).first()
        if site is None:
            raise CommandError(
                f"No site named {opts['site']!r}; create it with `threadline site add`."
            )
        try:
            story = story_create(
                site=site,
                url=opts["url"],
                title=opts["title"],
                body=opts["body"],
                author=opts["author"],
            )
        except errors.ThreadlineError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(str(story.pk))
