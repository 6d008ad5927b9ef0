"""The rules' hand-written reads return what the ORM queries they replace returned: same
rows, same order, same counts, with datetimes and addresses compared as the ORM compares
them (on SQLite and on PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from threadline.db.recent import latest_statuses, recent_bodies, recent_counts
from threadline.models import Comment, Commenter, CommentStatus, Site, Story

NOW = timezone.now().replace(microsecond=0)


def _orm_bodies(
    site: Site, since: datetime, commenter: Commenter | None, ip: str | None, exclude: int | None
) -> list[str]:
    live = ~Q(status=CommentStatus.DELETED) & Q(created_at__gte=since)
    if exclude is not None:
        live &= ~Q(pk=exclude)
    latest = Comment.objects.filter(live).order_by("-created_at").values_list("body", flat=True)
    bodies = list(latest.filter(site_id=site.pk)[:3])
    if commenter is not None:
        bodies += latest.filter(commenter_id=commenter.pk)[:3]
    if ip:
        bodies += latest.filter(ip_address=ip, site_id=site.pk)[:3]
    return bodies


def _orm_counts(
    site: Site, since: datetime, commenter: Commenter | None, ip: str | None
) -> tuple[int, int]:
    counts = Comment.objects.filter(site_id=site.pk, created_at__gte=since).aggregate(
        mine=Count("id", filter=Q(commenter_id=commenter.pk if commenter else -1)),
        same_ip=Count("id", filter=Q(ip_address=ip) if ip else Q(pk=-1)),
    )
    return counts["mine"], counts["same_ip"]


@pytest.fixture
def world(site: Site, story: Story) -> dict:
    """Two sites; comments by two commenters from IPv4 and IPv6 addresses, one deleted, one
    exactly at the window's edge and one a microsecond before it, one on another site."""
    other_site = Site.objects.create(name="other")
    other_story = Story.objects.create(site=other_site, url="https://other.example/a")
    ann = Commenter.objects.create(site=site, key="ann")
    bob = Commenter.objects.create(site=site, key="bob")
    eve = Commenter.objects.create(site=other_site, key="eve")
    rows = [
        # (story, commenter, ip, status, created_at)
        (story, ann, "10.0.0.1", "published", NOW - timedelta(seconds=5)),
        (story, ann, "2001:db8::1", "held", NOW - timedelta(seconds=20)),
        (story, bob, "10.0.0.1", "deleted", NOW - timedelta(seconds=30)),
        (story, bob, "10.0.0.2", "rejected", NOW - timedelta(seconds=60)),  # at the edge
        (story, ann, "10.0.0.1", "published", NOW - timedelta(seconds=60, microseconds=1)),
        (story, None, "10.0.0.1", "published", NOW - timedelta(seconds=10)),
        (story, ann, None, "published", NOW - timedelta(seconds=15)),
        (other_story, eve, "10.0.0.1", "published", NOW - timedelta(seconds=2)),
        (story, bob, "2001:db8::1", "published", NOW - timedelta(hours=3)),
    ]
    comments = [
        Comment.objects.create(
            site=s.site,
            story=s,
            commenter=c,
            author_name="x",
            body=f"body {i}",
            body_html=f"body {i}",
            ip_address=ip,
            status=status,
            created_at=when,
        )
        for i, (s, c, ip, status, when) in enumerate(rows)
    ]
    return {"site": site, "ann": ann, "bob": bob, "comments": comments}


WINDOWS = [NOW - timedelta(seconds=60), NOW - timedelta(hours=4), NOW + timedelta(seconds=1)]
IPS = [None, "", "10.0.0.1", "10.0.0.2", "2001:DB8:0::1", "192.0.2.99"]


@pytest.mark.parametrize("since", WINDOWS)
@pytest.mark.parametrize("ip", IPS)
@pytest.mark.parametrize("who", [None, "ann", "bob"])
@pytest.mark.parametrize("exclude", [None, 0, 4])
def test_recent_bodies_are_the_orm_rows_in_order(
    world: dict, since: datetime, ip: str | None, who: str | None, exclude: int | None
) -> None:
    commenter = world[who] if who else None
    exclude_id = world["comments"][exclude].pk if exclude is not None else None
    got = recent_bodies(
        site_id=world["site"].pk,
        since=since,
        limit=3,
        ip=ip,
        exclude_id=exclude_id,
        commenter_id=commenter.pk if commenter else None,
    )
    assert got == _orm_bodies(world["site"], since, commenter, ip, exclude_id)


@pytest.mark.parametrize("since", WINDOWS)
@pytest.mark.parametrize("ip", IPS)
@pytest.mark.parametrize("who", [None, "ann", "bob"])
def test_recent_counts_are_the_orm_aggregate(
    world: dict, since: datetime, ip: str | None, who: str | None
) -> None:
    commenter = world[who] if who else None
    got = recent_counts(
        site_id=world["site"].pk,
        since=since,
        ip=ip,
        commenter_id=commenter.pk if commenter else None,
    )
    assert got == _orm_counts(world["site"], since, commenter, ip)


def test_the_window_includes_its_first_instant_only(world: dict) -> None:
    edge = NOW - timedelta(seconds=60)
    assert recent_counts(
        site_id=world["site"].pk, since=edge, commenter_id=world["bob"].pk, ip="10.0.0.2"
    ) == (2, 1)
    later = edge + timedelta(microseconds=1)
    assert recent_counts(
        site_id=world["site"].pk, since=later, commenter_id=world["bob"].pk, ip="10.0.0.2"
    ) == (1, 0)


def test_counts_stop_at_the_cap(world: dict) -> None:
    since = NOW - timedelta(seconds=60)
    args = {"site_id": world["site"].pk, "since": since, "commenter_id": world["bob"].pk}
    assert recent_counts(**args, ip="10.0.0.2") == (2, 1)
    assert recent_counts(**args, ip="10.0.0.2", at_most=1) == (1, 1)
    assert recent_counts(**args, ip=None, at_most=2) == (2, 0)


@pytest.mark.parametrize("exclude", [None, 0, 1])
def test_latest_statuses_are_the_orm_rows_in_order(world: dict, exclude: int | None) -> None:
    ann = world["ann"]
    exclude_id = world["comments"][exclude].pk if exclude is not None else None
    qs = Comment.objects.filter(commenter_id=ann.pk)
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    expected = list(qs.order_by("-created_at").values_list("status", flat=True)[:3])
    assert latest_statuses(commenter_id=ann.pk, limit=3, exclude_id=exclude_id) == expected


def test_each_read_is_one_query(world: dict) -> None:
    with CaptureQueriesContext(connection) as queries:
        recent_bodies(site_id=world["site"].pk, since=NOW, limit=50, commenter_id=1, ip="10.0.0.1")
        recent_counts(site_id=world["site"].pk, since=NOW, commenter_id=1, ip="10.0.0.1")
    assert len(queries) == 2
