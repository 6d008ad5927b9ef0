"""``threadline export --site S [--story URL] [--format json|disqus] [--with-secrets] > file``"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from threadline import errors
from threadline.actions.stories import canonical_url
from threadline.exporters.disqus import export_disqus
from threadline.exporters.threadline_json import export_lines
from threadline.models import Site


class Command(BaseCommand):
    help = "Write a site (or one story) to stdout as a Threadline JSON export or Disqus XML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--site", required=True)
        parser.add_argument("--story", default=None, help="only this story (its URL)")
        parser.add_argument("--format", choices=["json", "disqus"], default="json")
        parser.add_argument(
            "--with-secrets",
            action="store_true",
            help="include password hashes, IP addresses and edit-token hashes",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        site = Site.objects.filter(name=opts["site"]).first()
        if site is None:
            raise CommandError(f"No site named {opts['site']!r}")
        story_url = None
        if opts["story"]:
            try:
                story_url = canonical_url(opts["story"])
            except errors.ThreadlineError as exc:
                raise CommandError(f"--story: {exc.message}") from exc
            if not site.stories.filter(url=story_url).exists():
                raise CommandError(f"No story {story_url} on site {site.name}")
        export = export_disqus if opts["format"] == "disqus" else export_lines
        for chunk in export(site=site, story_url=story_url, with_secrets=opts["with_secrets"]):
            self.stdout.write(chunk, ending="")
