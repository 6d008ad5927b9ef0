"""The moderators' and operators' routers check the caller with Ninja's ``auth=``: before
the view and its parameters, with the API's own error bodies, declared in OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.factories import UserFactory
from threadline.actions.accounts import token_create


@pytest.mark.parametrize(
    ("path", "scheme"), [("/moderation/queue", "ModeratorAuth"), ("/admin/export", "OperatorAuth")]
)
def test_the_schema_declares_bearer_auth_on_staff_routes(
    client: Any, path: str, scheme: str
) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["components"]["securitySchemes"][scheme] == {"type": "http", "scheme": "bearer"}
    assert schema["paths"][f"/api/v1{path}"]["get"]["security"] == [{scheme: []}]
    assert "security" not in schema["paths"]["/api/v1/stories/{story_id}/comments"]["get"]


def test_an_anonymous_moderation_call_is_refused_before_its_parameters_are_read(
    api: Api, db: Any
) -> None:
    response = api.get("/moderation/queue", queue="no-such-queue")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_operators_need_an_account_and_then_a_superuser(api: Api, db: Any) -> None:
    response = api.get("/admin/export")  # no site: refused before the missing parameter
    assert (response.status_code, response.json()["error"]["code"]) == (401, "not_authenticated")
    api.token = token_create(user=UserFactory())
    response = api.get("/admin/export", site="nope")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "forbidden")
    api.token = "nonsense"
    assert api.get("/admin/export", site="nope").json()["error"]["code"] == "invalid_token"
