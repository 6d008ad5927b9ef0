"""Webhooks reach public addresses only (unless THREADLINE_WEBHOOK_ALLOW_PRIVATE), checked
when created and again at every delivery, and never follow a redirect."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.factories import post_comment
from tests.production.conftest import Receiver
from threadline import errors
from threadline.actions.webhooks import (
    webhook_create,
    webhook_deliveries_create,
    webhook_delivery_attempt,
)
from threadline.delivery import webhooks
from threadline.models import DeliveryStatus, Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10:8080/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8000/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook",
        "http://localhost:9000/hook",  # a name that resolves to the loopback
    ],
)
def test_non_public_targets_are_refused_at_creation(site, url: str) -> None:  # noqa: ANN001
    with pytest.raises(errors.WebhookTargetNotPublicError) as raised:
        webhook_create(site=site, url=url)
    assert raised.value.code == "webhook_target_not_public" and raised.value.field == "url"
    assert not Webhook.objects.exists()


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700::1111"])
def test_public_addresses_are_accepted(site, address: str) -> None:  # noqa: ANN001
    host = f"[{address}]" if ":" in address else address
    assert webhook_create(site=site, url=f"https://{host}/hook").pk


def test_the_cli_names_the_error_code(site) -> None:  # noqa: ANN001
    with pytest.raises(CommandError, match=r"\[webhook_target_not_public\]"):
        call_command("webhook", "add", "--site", site.name, "--url", "http://169.254.169.254/")


def test_the_setting_allows_private_targets(site, private_webhooks) -> None:  # noqa: ANN001
    assert webhook_create(site=site, url="http://127.0.0.1:9/hook").pk


def _one_delivery(story, url: str, settings) -> int:  # noqa: ANN001
    settings.THREADLINE = {**settings.THREADLINE, "WEBHOOK_ALLOW_PRIVATE": True}
    webhook_create(site=story.site, url=url)
    comment = post_comment(story, "Deliver me").comment
    [delivery_id] = webhook_deliveries_create(comment_id=comment.pk, event="comment.posted")
    return delivery_id


def test_delivery_checks_the_address_again(story, receiver: Receiver, settings) -> None:  # noqa: ANN001
    """Created while allowed (or while the name pointed elsewhere), refused at delivery."""
    delivery_id = _one_delivery(story, receiver.url.replace("127.0.0.1", "localhost"), settings)
    settings.THREADLINE = {**settings.THREADLINE, "WEBHOOK_ALLOW_PRIVATE": False}
    assert webhook_delivery_attempt(delivery_id=delivery_id) == "retry"
    assert receiver.requests == []
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert delivery.status == DeliveryStatus.FAILED and "non-public" in delivery.last_error


def test_a_redirect_is_not_followed(story, settings) -> None:  # noqa: ANN001
    with Receiver() as target, Receiver() as redirecting:
        redirecting.status = 302
        redirecting.headers = {"Location": target.url}
        delivery_id = _one_delivery(story, redirecting.url, settings)
        assert webhook_delivery_attempt(delivery_id=delivery_id) == "retry"
        assert len(redirecting.requests) == 1 and target.requests == []
    delivery = WebhookDelivery.objects.get(pk=delivery_id)
    assert (delivery.status, delivery.last_status_code) == (DeliveryStatus.FAILED, 302)


def test_addresses_behind_public_names_are_classified() -> None:
    assert webhooks.is_public("93.184.215.14")
    for address in ("127.0.0.1", "10.0.0.1", "172.16.0.1", "100.64.0.1", "169.254.169.254"):
        assert not webhooks.is_public(address), address
    for address in ("::1", "fe80::1%eth0", "fd00::1", "::ffff:10.0.0.1", "ff02::1"):
        assert not webhooks.is_public(address), address
