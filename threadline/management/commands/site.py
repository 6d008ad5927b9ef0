from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from threadline import errors
from threadline.actions.sites import site_add_origin, site_create
from threadline.actions.sso import site_sso_disable, site_sso_secret_rotate
from threadline.models import Site


class Command(BaseCommand):
    help = (
        "Manage sites: `site add NAME --origin URL`, `site origin NAME URL`, `site list`, "
        "`site sso NAME [--rotate | --off]`."
    )

    def add_arguments(self, parser):  # noqa: ANN001
        sub = parser.add_subparsers(dest="verb", required=True)
        add = sub.add_parser("add", help="create a site")
        add.add_argument("name")
        add.add_argument("--title", default="")
        add.add_argument(
            "--origin", action="append", default=[], help="allowed origin (repeatable)"
        )
        origin = sub.add_parser("origin", help="allow one more origin")
        origin.add_argument("name")
        origin.add_argument("url")
        sub.add_parser("list", help="list sites")
        sso = sub.add_parser(
            "sso", help="show the secret of sign-in with the site's own accounts (docs/embed.md)"
        )
        sso.add_argument("name")
        choice = sso.add_mutually_exclusive_group()
        choice.add_argument(
            "--rotate", action="store_true", help="make a new secret (old tokens stop working)"
        )
        choice.add_argument("--off", action="store_true", help="turn SSO off")

    def handle(self, *args, verb: str, **opts) -> None:  # noqa: ANN002,ANN003
        site: Site | None
        try:
            if verb == "add":
                site = site_create(name=opts["name"], title=opts["title"], origins=opts["origin"])
                self.stdout.write(f"{site.pk}\t{site.name}\t{' '.join(site.allowed_origins)}")
            elif verb == "origin":
                site = Site.objects.filter(name=opts["name"]).first()
                if site is None:
                    raise CommandError(f"No site named {opts['name']!r}")
                site_add_origin(site=site, origin=opts["url"])
                self.stdout.write(" ".join(site.allowed_origins))
            elif verb == "sso":
                self._sso(opts)
            else:
                for site in Site.objects.order_by("name"):
                    self.stdout.write(f"{site.pk}\t{site.name}\t{' '.join(site.allowed_origins)}")
        except errors.ThreadlineError as exc:
            raise CommandError(exc.message) from exc

    def _sso(self, opts: dict) -> None:
        site = Site.objects.filter(name=opts["name"]).first()
        if site is None:
            raise CommandError(f"No site named {opts['name']!r}")
        if opts["off"]:
            site_sso_disable(site=site, actor=None)
        elif opts["rotate"]:
            site_sso_secret_rotate(site=site, actor=None)
        # Only the secret on stdout, so `$(threadline site sso news --rotate)` captures it.
        if site.sso_secret:
            self.stdout.write(site.sso_secret)
        else:
            self.stderr.write(f"SSO is off for {site.name}; --rotate makes a secret.")
