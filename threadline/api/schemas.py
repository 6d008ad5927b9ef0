from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field


class Strict(Schema):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)


class CommentIn(Strict):
    body: str = Field(max_length=1_000_000)
    parent_id: int | None = None
    author_name: str = Field(default="", max_length=1000)
    author_email: str = Field(default="", max_length=1000)
    confirm: bool = False
    website: str = Field(default="", description="Honeypot: leave empty.", max_length=1000)


class CommentPatch(Strict):
    body: str = Field(max_length=1_000_000)
    edit_token: str = Field(default="", max_length=200)
    confirm: bool = False


class CommentDeleteIn(Strict):
    edit_token: str = Field(default="", max_length=200)


class VoteIn(Strict):
    value: Literal[1, -1, 0]


class FlagIn(Strict):
    reason: Literal["spam", "abuse", "hate", "threat", "off_topic", "other"]
    note: str = Field(default="", max_length=1000)


class AuthorOut(Schema):
    name: str
    registered: bool
    badge: Literal["staff", "journalist", "moderator"] | None = Field(
        default=None, description="A staff badge; null for readers (docs/embed.md, SSO)."
    )
    avatar_url: str | None = Field(
        default=None, description="An https picture from the publisher's sign-in, or null."
    )


class CommentOut(Schema):
    id: int
    parent_id: int | None
    depth: int
    author: AuthorOut
    body_html: str
    status: str
    created_at: datetime
    edited_at: datetime | None
    upvotes: int
    downvotes: int
    score: int
    reply_count: int
    pinned: bool
    featured: bool
    replies: list[CommentOut] = []
    more_replies: int = 0


class PostedOut(Schema):
    id: int
    status: str
    story_id: int
    parent_id: int | None
    body: str
    body_html: str
    author: AuthorOut
    created_at: datetime
    edit_token: str | None = None
    reasons: list[str] = []


class ThreadOut(Schema):
    story_id: int
    sort: str
    total: int
    comments: list[CommentOut]
    next_cursor: str | None


class StoryOut(Schema):
    id: int
    site: str
    url: str
    title: str
    is_open: bool
    comment_count: int


class OidcOut(Schema):
    label: str
    start_url: str


class StoryLookupOut(StoryOut):
    oidc: OidcOut | None = Field(
        default=None, description="Sign-in with the operator's provider, when it is on."
    )


class CountsOut(Schema):
    counts: dict[str, int]


class RegisterIn(Strict):
    username: str = Field(max_length=150)
    password: str = Field(max_length=200)
    email: str = Field(default="", max_length=254)
    display_name: str = Field(default="", max_length=150)


class LoginIn(Strict):
    username: str = Field(max_length=150)
    password: str = Field(max_length=200)


class SsoIn(Strict):
    site: str = Field(max_length=64, description="The site's name, as in a story's `site`.")
    token: str = Field(max_length=8192, description="The JWT the publisher's page signed.")


class OidcClaimIn(Strict):
    verifier: str = Field(max_length=200, description="The secret the widget's handoff hashes.")


class TokenOut(Schema):
    token: str
    user: dict


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    moderator_of: list[str]
    email_confirmed: bool = Field(
        default=False, description="Whether the reader opened the link mailed to `email`."
    )
    profile_url: str = Field(default="", description="The reader's public profile page.")


class AccountPatch(Strict):
    """What a reader may change about their account; a field left out stays as it is."""

    display_name: str | None = Field(
        default=None, max_length=150, description='The name on comments; "" for the user name.'
    )
    email: str | None = Field(
        default=None, max_length=254, description='A new address is mailed a link; "" for none.'
    )


class ConfirmationOut(Strict):
    status: Literal["confirmation_sent", "already_confirmed"]


class SessionOut(Schema):
    """One API token of the caller's, described; never the token itself."""

    id: int
    label: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    current: bool


class SessionsOut(Schema):
    sessions: list[SessionOut]


class ErrorBody(Schema):
    code: str
    message: str
    field: str | None = None


class ErrorOut(Schema):
    error: ErrorBody
