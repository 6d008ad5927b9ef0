"""threadline webhook add|list|pause|resume|redeliver — configure a site's webhooks."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from threadline.actions.webhooks import (
    webhook_create,
    webhook_deliveries_reset,
    webhook_set_active,
)
from threadline.delivery.jobs import enqueue, webhook_deliver_job
from threadline.errors import ThreadlineError
from threadline.models import Site, Webhook, WebhookEvent


class Command(BaseCommand):
    help = "Configure webhooks: add, list, pause, resume, redeliver (failed deliveries)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("verb", choices=["add", "list", "pause", "resume", "redeliver"])
        parser.add_argument("--site", help="site name")
        parser.add_argument("--url", help="endpoint (add)")
        parser.add_argument(
            "--event",
            action="append",
            choices=WebhookEvent.values,
            help="repeatable; default every event",
        )
        parser.add_argument("--secret", default="", help="default: generated")
        parser.add_argument("--id", type=int, help="webhook id (pause, resume)")

    def handle(self, *args: Any, verb: str, **opts: Any) -> None:
        site = self._site(opts["site"]) if opts["site"] else None
        try:
            getattr(self, f"_{verb}")(site, opts)
        except ThreadlineError as exc:
            raise CommandError(f"{exc.message} [{exc.code}]") from exc

    def _site(self, name: str) -> Site:
        site = Site.objects.filter(name=name).first()
        if site is None:
            raise CommandError(f"No such site: {name}")
        return site

    def _add(self, site: Site | None, opts: dict[str, Any]) -> None:
        if site is None or not opts["url"]:
            raise CommandError("add needs --site and --url")
        hook = webhook_create(
            site=site, url=opts["url"], events=opts["event"], secret=opts["secret"]
        )
        self.stdout.write(f"webhook {hook.pk} for {site.name}: {hook.url}\nsecret: {hook.secret}")

    def _list(self, site: Site | None, opts: dict[str, Any]) -> None:
        hooks = Webhook.objects.select_related("site").order_by("id")
        for hook in hooks.filter(site=site) if site else hooks:
            state = "active" if hook.is_active else "paused"
            events = ",".join(hook.events) or "all events"
            self.stdout.write(f"{hook.pk}\t{hook.site.name}\t{state}\t{events}\t{hook.url}")

    def _toggle(self, opts: dict[str, Any], active: bool) -> None:
        hook = Webhook.objects.filter(pk=opts["id"]).first()
        if hook is None:
            raise CommandError("No such webhook (--id)")
        webhook_set_active(webhook=hook, is_active=active)
        self.stdout.write(f"webhook {hook.pk} {'resumed' if active else 'paused'}")

    def _pause(self, site: Site | None, opts: dict[str, Any]) -> None:
        self._toggle(opts, False)

    def _resume(self, site: Site | None, opts: dict[str, Any]) -> None:
        self._toggle(opts, True)

    def _redeliver(self, site: Site | None, opts: dict[str, Any]) -> None:
        ids = webhook_deliveries_reset(site=site)
        for delivery_id in ids:
            enqueue(webhook_deliver_job, delivery_id)
        self.stdout.write(f"{len(ids)} failed deliveries sent again")
