"""Webhooks: configure them per site, freeze one delivery per event, attempt deliveries."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from threadline import errors
from threadline.db import reads
from threadline.delivery import webhooks
from threadline.models import (
    Comment,
    DeliveryStatus,
    Site,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)


def webhook_create(
    *, site: Site, url: str, events: list[str] | None = None, secret: str = ""
) -> Webhook:
    """Register an endpoint for a site; the secret (generated unless given) signs every POST.

    Raises WebhookTargetNotPublicError when the host is, or resolves to, a loopback, private,
    link-local or otherwise non-public address (unless THREADLINE_WEBHOOK_ALLOW_PRIVATE)."""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except DjangoValidationError as exc:
        raise errors.ValidationError("Not an http(s) URL.", field="url") from exc
    unknown = sorted(set(events or []) - set(WebhookEvent.values))
    if unknown:
        raise errors.ValidationError(
            f"Unknown events {unknown}; choose from {', '.join(WebhookEvent.values)}.",
            field="events",
        )
    _check_target(url)
    return Webhook.objects.create(
        site=site,
        url=url,
        events=sorted(set(events or [])),
        secret=secret or secrets.token_urlsafe(32),
    )


def _check_target(url: str) -> None:
    try:
        webhooks.resolve_target(url)
    except webhooks.TargetNotAllowed as exc:
        raise errors.WebhookTargetNotPublicError(field="url", data={"reason": str(exc)}) from exc
    except (OSError, UnicodeError):
        # Not resolvable now (no DNS, a name not yet published): every delivery resolves
        # and checks the host again, so nothing unchecked is ever sent.
        pass


def webhook_set_active(*, webhook: Webhook, is_active: bool) -> Webhook:
    """Pause or resume an endpoint; paused endpoints get no new deliveries."""
    webhook.is_active = is_active
    webhook.save(update_fields=["is_active"])
    return webhook


def webhook_deliveries_create(
    *, comment_id: int, event: str, site_id: int | None = None
) -> list[int]:
    """Freeze the comment's payload into one pending delivery per interested webhook.
    With ``site_id`` known, a site without webhooks costs one prepared query (every post
    asks)."""
    if site_id is not None and not reads.webhook_active_exists(site_id=site_id):
        return []
    comment = Comment.objects.select_related("story", "site").filter(pk=comment_id).first()
    if comment is None:
        return []
    hooks = [
        h for h in Webhook.objects.filter(site_id=comment.site_id, is_active=True) if h.wants(event)
    ]
    if not hooks:
        return []
    payload = webhooks.comment_payload(comment)
    created = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(webhook=h, event=event, comment_id_ref=comment_id, payload={})
            for h in hooks
        ]
    )
    for delivery in created:  # the envelope names its own delivery id
        delivery.payload = {
            "id": str(delivery.uuid),
            "event": event,
            "created_at": timezone.now().isoformat(),
            "comment": payload,
        }
    WebhookDelivery.objects.bulk_update(created, ["payload"])
    return [d.pk for d in created]


def webhook_delivery_attempt(*, delivery_id: int) -> str:
    """POST a delivery once; returns delivered, retry, failed or skipped.

    A delivered or exhausted delivery is skipped, so a job run twice sends once. The attempt
    is counted before the POST so a crash mid-request still uses up an attempt.
    """
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("webhook")
            .filter(pk=delivery_id)
            .first()
        )
        limit = settings.THREADLINE["WEBHOOK_MAX_ATTEMPTS"]
        if delivery is None or delivery.status == DeliveryStatus.DELIVERED:
            return "skipped"
        if delivery.attempts >= limit or not delivery.webhook.is_active:
            return "skipped"
        WebhookDelivery.objects.filter(pk=delivery_id).update(attempts=F("attempts") + 1)
    hook = delivery.webhook
    outcome = webhooks.post_signed(
        url=hook.url,
        secret=hook.secret,
        event=delivery.event,
        delivery=str(delivery.uuid),
        payload=delivery.payload,
        timeout=settings.THREADLINE["WEBHOOK_TIMEOUT_SECONDS"],
    )
    status = DeliveryStatus.DELIVERED if outcome.ok else DeliveryStatus.FAILED
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=status,
        last_status_code=outcome.status_code,
        last_error=outcome.error,
        delivered_at=timezone.now() if outcome.ok else None,
    )
    if outcome.ok:
        return "delivered"
    return "retry" if delivery.attempts + 1 < limit else "failed"


def webhook_deliveries_reset(*, site: Site | None = None) -> list[int]:
    """Give failed deliveries a fresh set of attempts (``threadline webhook redeliver``)."""
    qs = WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED)
    if site is not None:
        qs = qs.filter(webhook__site=site)
    ids = list(qs.values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=ids).update(attempts=0)
    return ids
