"""Downloads of a person's own data (both apps use them): never cached, always an attachment."""

import json

from django.http import HttpResponse


def download(content: str | bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def json_download(doc: dict, filename: str) -> HttpResponse:
    return download(json.dumps(doc, ensure_ascii=False, indent=1), filename, "application/json")
