"""The API's description: the OpenAPI document, and a reference page made from it on the
server (no script, no CDN: the CSP allows neither)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template, url_for
from werkzeug.wrappers import Response

from workplan.api import bp
from workplan.api.spec import DESCRIPTION, document

METHODS = ("get", "post", "put", "patch", "delete")
# The reference lists the operations in the order a newcomer meets them.
TAG_ORDER = ("plan", "reporting", "blockers", "meetings", "reports")


def unwrapped(text: str) -> str:
    """Docstring or description text with its hard line breaks undone (paragraphs kept),
    for the narrative filter, which renders the Markdown of the backticks."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n") if p.strip())


def _server_url() -> str:
    return url_for("api.openapi", _external=True).rsplit("/api/v1/", 1)[0]


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI 3.1 document of this API."""
    return jsonify(document(_server_url()))


def _schema_name(content: dict[str, Any] | None) -> str:
    """The name of a request's or response's schema, for the reference page."""
    for media in (content or {}).values():
        ref = media.get("schema", {}).get("$ref", "")
        if ref:
            return ref.rsplit("/", 1)[-1]
        return media.get("schema", {}).get("format", "")
    return ""


def operations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation of the document, in the order of its paths, as the page lists them."""
    items = []
    for path, entry in doc.get("paths", {}).items():
        for method in METHODS:
            op = entry.get(method)
            if op is None:
                continue
            items.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": op.get("operationId", ""),
                    "tag": (op.get("tags") or [""])[0],
                    "summary": unwrapped(op.get("summary", "")),
                    "description": unwrapped(op.get("description", "")),
                    "parameters": op.get("parameters", []),
                    "body": _schema_name(op.get("requestBody", {}).get("content")),
                    "responses": [
                        (code, _schema_name(r.get("content")), sorted(r.get("headers", {})))
                        for code, r in sorted(op.get("responses", {}).items())
                    ],
                }
            )
    order = {tag: i for i, tag in enumerate(TAG_ORDER)}
    return sorted(items, key=lambda op: order.get(op["tag"], len(order)))


@bp.get("/reference")
def reference() -> str:
    """A readable reference of the API, generated from the OpenAPI document."""
    doc = document(_server_url())
    return render_template(
        "api/reference.html",
        description=unwrapped(DESCRIPTION),
        operations=operations(doc),
        schemas=doc.get("components", {}).get("schemas", {}),
    )
