"""Completes the generated OpenAPI schema with the error answers every operation can give, and
says that an optional query parameter left empty (``?wave=``, as a form sends it) is not given and
that no text parameter may hold a NUL character.

drf-spectacular describes each view's own answers; the ones the framework adds everywhere (a bad
query parameter, a missing or revoked token, a role that may not, an unknown wave, the anonymous
rate limit) are added here once, so clients and Schemathesis know every status the API sends.
"""

from __future__ import annotations

ERROR = {
    "type": "object",
    "properties": {"detail": {"oneOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}]}},
    "additionalProperties": True,
}
NO_NUL = "^[^\\u0000]*$"
ERROR_BODY = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
NOT_MODIFIED = "Not modified since the ETag (If-None-Match) or date (If-Modified-Since) given"
COMMON = {
    "400": "The request is invalid: the body names each wrong parameter and why",
    "401": "No token for a write, or an unknown or revoked one",
    "403": "The token's user may not do this (their roles)",
    "404": "No such programme, wave or file, or not one the token's user may see",
    "429": "Too many requests from this address; retry after the Retry-After seconds",
}


def add_common_errors(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and not parameter.get("required"):
                    parameter["allowEmptyValue"] = True  # ?continent= is the same as no continent
                text = parameter.get("schema", {})
                if text.get("type") == "string" and "pattern" not in text and "enum" not in text:
                    text["pattern"] = NO_NUL  # Django refuses a NUL character in any form field
            writes = method in ("post", "put", "patch", "delete")
            for status, text in COMMON.items():
                if status == "403" and not writes:
                    continue
                operation["responses"].setdefault(status, {"description": text, "content": ERROR_BODY})
            if not writes:
                operation["responses"].setdefault("304", {"description": NOT_MODIFIED})
    return result
