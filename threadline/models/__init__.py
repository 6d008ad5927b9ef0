"""Threadline's models, one module per aggregate."""

from threadline.models.accounts import ApiToken, EmailConfirmation
from threadline.models.commenters import Badge, Ban, BanKind, Commenter
from threadline.models.comments import Comment, CommentRevision, CommentStatus
from threadline.models.moderation import ModerationAction, ModerationEvent
from threadline.models.notifications import (  # noqa: E402
    DeliveryStatus,
    ModeratorDigest,
    ReplyNotification,
    Subscription,
    Webhook,
    WebhookDelivery,
    WebhookEvent,
)
from threadline.models.readers import Mute, NotificationKind, ReaderNotification, RejectionNotice
from threadline.models.sites import PremoderationMode, Site
from threadline.models.stories import Story, TitleSource
from threadline.models.votes import Flag, FlagReason, Vote

__all__ = [
    "ApiToken",
    "Badge",
    "Ban",
    "BanKind",
    "Comment",
    "CommentRevision",
    "CommentStatus",
    "Commenter",
    "EmailConfirmation",
    "Flag",
    "FlagReason",
    "ModerationAction",
    "ModerationEvent",
    "Mute",
    "NotificationKind",
    "ReaderNotification",
    "RejectionNotice",
    "PremoderationMode",
    "Site",
    "Story",
    "TitleSource",
    "Vote",
    "DeliveryStatus",
    "ModeratorDigest",
    "ReplyNotification",
    "Subscription",
    "Webhook",
    "WebhookDelivery",
    "WebhookEvent",
]
