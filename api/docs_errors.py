"""The refusals every operation can answer, written into the schema so that clients (and the schema's own
conformance tests) know their shape: the service's messages on 400, `{"detail": …}` on 401, 403 and 404."""

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "Why the request was refused."}},
    "required": ["detail"],
}
# A serializer's or a service's refusal: each field's messages (or `detail` for the whole request); a few
# refusals of the whole request are a bare list of messages.
MESSAGES = {
    "anyOf": [
        {"type": "object", "additionalProperties": {}},
        {"type": "array", "items": {"type": "string"}},
    ],
}
REFUSALS = {
    "400": ("The request is not valid: the messages say what to change.", "ValidationErrors"),
    "401": ("No credentials, or a token that is malformed, unknown, revoked or expired.", "ErrorDetail"),
    "403": ("Signed in, but this account (or this token's scopes) may not do this.", "ErrorDetail"),
    "404": ("No such object, or one this account may not see.", "ErrorDetail"),
}


# Lists that answer 404, as their pages do, to someone who may not read them at all (the report is the
# portfolio readers'): its existence is not told to others.
HIDDEN_FROM_OUTSIDERS = ("/api/v1/reports/",)


def add_refusals(result, generator, request, public):
    """drf-spectacular post-processing hook: each operation gains the refusals it does not already describe;
    404 where the path names an object, or the whole list is hidden from outsiders."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorDetail", DETAIL)
    components.setdefault("ValidationErrors", MESSAGES)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for status, (description, component) in REFUSALS.items():
                if status == "404" and "{" not in path and not path.startswith(HIDDEN_FROM_OUTSIDERS):
                    continue
                operation["responses"].setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
                    },
                )
    return result
