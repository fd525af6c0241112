"""SCIM's error answer (RFC 7644 §3.12): every refusal the provider's log can explain."""

from django.http import JsonResponse

ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
CONTENT_TYPE = "application/scim+json"


class ScimError(Exception):
    """Raised anywhere in a SCIM request; answered as SCIM's error JSON."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def response(self) -> JsonResponse:
        body: dict[str, object] = {
            "schemas": [ERROR],
            "status": str(self.status),
            "detail": self.detail,
        }
        if self.scim_type:
            body["scimType"] = self.scim_type
        answer = JsonResponse(body, status=self.status, content_type=CONTENT_TYPE)
        if self.status == 401:
            answer["WWW-Authenticate"] = 'Bearer realm="townhall-scim"'
        return answer


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")
