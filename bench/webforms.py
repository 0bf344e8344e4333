"""The fields a browser would submit from a page's POST forms (what it shows filled in, checked, selected)."""

from __future__ import annotations

from html.parser import HTMLParser

SKIPPED_TYPES = {"submit", "button", "reset", "image", "file"}


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: tuple[str, list, bool] | None = None  # name, options, multiple
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {name: value if value is not None else "" for name, value in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and a.get("type", "text").lower() not in SKIPPED_TYPES:
            kind = a.get("type", "text").lower()
            if kind not in ("checkbox", "radio") or "checked" in a:
                self._form["fields"].append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], "multiple" in a)
        elif tag == "option" and self._select is not None:
            self._select[1].append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"].append((a["name"], ""))

    def handle_data(self, data):
        if self._textarea is not None and self._form is not None:
            name, text = self._form["fields"][-1]
            self._form["fields"][-1] = (name, text + data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            if self._textarea is not None and self._form is not None:  # a browser drops the first newline
                name, text = self._form["fields"][-1]
                self._form["fields"][-1] = (name, text[1:] if text.startswith("\n") else text)
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            name, options, multiple = self._select
            chosen = [value for value, selected in options if selected]
            if not chosen and options and not multiple:
                chosen = [options[0][0]]
            self._form["fields"].extend((name, value) for value in chosen)
            self._select = None


def post_form(html: str, having: str) -> list[tuple[str, str]]:
    """The fields of the page's POST form that has a field named `having` (with its CSRF token)."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        names = {name for name, _ in form["fields"]}
        if form["method"] == "post" and having in names:
            return list(form["fields"])
    raise LookupError(f"no POST form with a field {having!r}")


def replace(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The fields with these names set to these values (added if the form left them out)."""
    kept = [(name, value) for name, value in fields if name not in values]
    return kept + list(values.items())
