"""One error hierarchy: each error has a stable ``code`` and an HTTP status.

The API turns any of these into ``{"error": {"code", "message", "field"?, "data"?}}``.
"""

from __future__ import annotations

from typing import Any


class ThreadlineError(Exception):
    code = "error"
    status = 400
    message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        field: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.field = field
        self.data = data or {}

    def as_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        if self.data:
            error["data"] = self.data
        return {"error": error}


class ValidationError(ThreadlineError):
    code = "invalid"
    status = 400
    message = "The request is not valid."


class InvalidJsonError(ThreadlineError):
    code = "invalid_json"
    status = 400
    message = "The request body is not valid JSON."


class UnsupportedMediaTypeError(ThreadlineError):
    code = "unsupported_media_type"
    status = 415
    message = "Send the request body as application/json."


class EmptyBodyError(ValidationError):
    code = "empty_body"
    message = "The comment is empty."


class BodyTooLongError(ValidationError):
    code = "body_too_long"
    message = "The comment is too long."


class ControlCharactersError(ValidationError):
    code = "control_characters"
    message = "The text contains control characters."


class InvalidUnicodeError(ValidationError):
    code = "invalid_unicode"
    message = "The text is not valid Unicode."


class NameRequiredError(ValidationError):
    code = "name_required"
    message = "Guests must give a display name."


class InvalidEmailError(ValidationError):
    code = "invalid_email"
    message = "The e-mail address is not valid."


class InvalidParentError(ValidationError):
    code = "invalid_parent"
    message = "The comment replied to does not exist in this story."


class ParentNotOpenError(ThreadlineError):
    code = "parent_not_open"
    status = 409
    message = "This comment cannot be replied to."


class StoryClosedError(ThreadlineError):
    code = "story_closed"
    status = 403
    message = "Comments on this story are closed."


class GuestPostingDisabledError(ThreadlineError):
    code = "login_required"
    status = 401
    message = "Sign in to comment on this site."


class NotAuthenticatedError(ThreadlineError):
    code = "not_authenticated"
    status = 401
    message = "Sign in first."


class InvalidTokenError(ThreadlineError):
    code = "invalid_token"
    status = 401
    message = "The token is not valid."


class TokenExpiredError(InvalidTokenError):
    # The same code as any bad token: the widget (and any client) drops the token and asks
    # the reader to sign in again; ``data.reason`` tells the two apart for those who care.
    message = "The token has expired. Sign in again."

    def __init__(self) -> None:
        super().__init__(data={"reason": "expired"})


class InvalidCredentialsError(ThreadlineError):
    code = "invalid_credentials"
    status = 401
    message = "Wrong user name or password."


class UsernameTakenError(ValidationError):
    code = "username_taken"
    status = 409
    message = "That user name is taken."


class WeakPasswordError(ValidationError):
    code = "weak_password"
    message = "Choose a longer, less common password."


class PermissionDeniedError(ThreadlineError):
    code = "forbidden"
    status = 403
    message = "You may not do that."


class NotYourCommentError(PermissionDeniedError):
    code = "not_your_comment"
    message = "You can only change your own comments."


class EditWindowClosedError(PermissionDeniedError):
    code = "edit_window_closed"
    message = "The time to edit or delete this comment has passed."


class CommentNotEditableError(ThreadlineError):
    code = "not_editable"
    status = 409
    message = "This comment can no longer be changed."


class BannedError(PermissionDeniedError):
    # ``data``: ``until`` (ISO 8601) or ``permanent: true``, and the moderator's ``message``.
    code = "banned"
    message = "You are banned from commenting on this site."


class CannotMuteSelfError(ValidationError):
    code = "cannot_mute_self"
    message = "You cannot mute yourself."


class NotFoundError(ThreadlineError):
    code = "not_found"
    status = 404
    message = "Not found."


class StoryNotFoundError(NotFoundError):
    code = "story_not_found"
    message = "No story is known for that URL."


class CommentNotFoundError(NotFoundError):
    code = "comment_not_found"
    message = "No such comment."


class MuteNotFoundError(NotFoundError):
    code = "mute_not_found"
    message = "You have not muted that reader."


class OriginNotAllowedError(ThreadlineError):
    code = "origin_not_allowed"
    status = 403
    message = "That URL is not on any site's allowed origins."


class StoryPathNotAllowedError(ThreadlineError):
    code = "story_path_not_allowed"
    status = 403
    message = "The site does not open comments on pages at that URL."


class ForeignOriginError(ThreadlineError):
    # A browser page of another site (its Origin, or its Referer) writing into this site's
    # threads. Requests without either header (servers, scripts) are not affected.
    code = "foreign_origin"
    status = 403
    message = "This request comes from a page that is not one of the story's site's origins."


class InvalidCursorError(ValidationError):
    code = "invalid_cursor"
    message = "The cursor is not valid."


class RateLimitedError(ThreadlineError):
    code = "rate_limited"
    status = 429
    message = "Too many requests; try again later."

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        super().__init__(message, data={"retry_after": retry_after})
        self.retry_after = retry_after


class NeedsConfirmationError(ThreadlineError):
    code = "needs_confirmation"
    status = 409
    message = "Your comment may break the community rules. Edit it, or send it anyway for review."


class DuplicateError(ThreadlineError):
    code = "duplicate"
    status = 409
    message = "You already did that."


class WebhookTargetNotPublicError(ValidationError):
    code = "webhook_target_not_public"
    message = (
        "Webhook URLs must point to a public address "
        "(THREADLINE_WEBHOOK_ALLOW_PRIVATE allows private ones)."
    )


class NameReservedError(ValidationError):
    # A guest typing a staff member's, a moderator's or a reserved name (threadline.domain.names).
    code = "name_reserved"
    message = "That name is reserved on this site. Choose another name, or sign in."


class SsoNotConfiguredError(ThreadlineError):
    # The same answer for a site that does not exist and one without an SSO secret.
    code = "sso_not_configured"
    status = 403
    message = "This site does not sign readers in with its own accounts."


class SsoInvalidTokenError(ThreadlineError):
    code = "sso_invalid_token"
    status = 401
    message = "The sign-in token is not valid for this site."


class SsoTokenExpiredError(SsoInvalidTokenError):
    code = "sso_token_expired"
    message = "The sign-in token has expired. Reload the page to get a new one."


class SsoWrongSiteError(SsoInvalidTokenError):
    code = "sso_wrong_site"
    message = "The sign-in token was made for another site."


class SsoInvalidClaimsError(ThreadlineError):
    # ``field`` names the claim that is missing or wrong.
    code = "sso_invalid_claims"
    status = 400
    message = "The sign-in token lacks a claim or carries a wrong one."


class OidcNotConfiguredError(NotFoundError):
    # Sign-in with an OpenID Connect provider is off (no THREADLINE_OIDC_ISSUER).
    code = "oidc_not_configured"
    message = "This server does not sign readers in with another provider."


class OidcUnavailableError(ThreadlineError):
    # The provider's discovery document could not be read, or does not match the issuer.
    code = "oidc_unavailable"
    status = 503
    message = "The sign-in provider cannot be reached. Try again in a minute."


class OidcInvalidClaimsError(ThreadlineError):
    # ``field`` names the claim the provider left out or sent malformed.
    code = "oidc_invalid_claims"
    status = 400
    message = "The sign-in provider did not say who you are."


class OidcAccountConflictError(ThreadlineError):
    # A local account (with a password) holds the user name an outside identity maps to.
    code = "oidc_account_conflict"
    status = 409
    message = "This sign-in belongs to an account that signs in with a password."


class OidcHandoffPendingError(NotFoundError):
    # The widget's sign-in window has not come back from the provider yet: ask again.
    code = "handoff_pending"
    message = "The sign-in window has not finished yet."


class OidcHandoffNotFoundError(NotFoundError):
    # No sign-in window under this verifier: not started yet, expired, already claimed or
    # a wrong verifier (the same answer for all).
    code = "handoff_not_found"
    message = "No sign-in is waiting for this browser."


class OidcHandoffFailedError(ThreadlineError):
    # The sign-in window came back refused; the message says why when it is the reader's.
    code = "handoff_failed"
    status = 401
    message = "Signing in with the provider did not work."


class EmailLinkInvalidError(ThreadlineError):
    # A confirmation link that was altered, or is for an address the account no longer has.
    code = "email_link_invalid"
    status = 400
    message = "This confirmation link is not valid."


class EmailLinkExpiredError(EmailLinkInvalidError):
    code = "email_link_expired"
    message = "This confirmation link has expired. Ask for a new one on your account page."


class AccountManagedElsewhereError(PermissionDeniedError):
    # An account that signs in through a publisher or provider gets its name and address
    # from there on every sign-in; a change made here would not last.
    code = "account_managed_elsewhere"
    message = "Your name and e-mail address come from the site you sign in with."
