"""A documentation page for the API, written from the same OpenAPI schema as /api/schema/ (no CDN, no JavaScript)."""

from __future__ import annotations

from functools import cache

from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..permissions import can_use_api
from ..views.common import require


@cache
def _schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def _type(schema: dict) -> str:
    if "enum" in schema:
        return "one of: " + ", ".join(str(v) for v in schema["enum"] if v not in ("", None))
    kind = schema.get("type", "string")
    if schema.get("format") in ("date", "date-time"):
        return "date (YYYY-MM-DD)" if schema["format"] == "date" else "date and time"
    if kind == "array":
        return "list of " + _type(schema.get("items", {}))
    return {"integer": "whole number", "number": "number", "boolean": "true or false"}.get(kind, "text")


def endpoints() -> list[dict]:
    """Every GET operation in the schema with its parameters, for the page."""
    out = []
    for path, operations in _schema()["paths"].items():
        operation = operations.get("get")
        if not operation:
            continue
        parameters = [
            {"name": p["name"], "where": "in the address" if p["in"] == "path" else "query",
             "type": _type(p.get("schema", {})), "description": p.get("description", "")}
            for p in operation.get("parameters", [])
        ]
        out.append({"path": path, "summary": operation.get("summary", ""), "parameters": parameters,
                    "id": operation.get("operationId", path)})
    return out


@require_safe
def api_docs(request):
    require(can_use_api(request.user))
    return render(request, "portfolio/api_docs.html", {"endpoints": endpoints()})
