"""The report as a PDF, made on the server with WeasyPrint from the very template the print page uses."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

STYLESHEET = "css/report.css"
PAPERS = {"a4": "A4", "letter": "letter"}  # ?paper=… on the download; A4 unless asked


def _no_fetching(url: str, *args, **kwargs):
    """The report needs nothing from outside: no address in a note can make the server fetch it."""
    raise ValueError(f"not fetched: {url[:60]}")


def paper_of(value: str | None) -> str:
    return PAPERS.get((value or "").lower(), "A4")


def report_pdf(context: dict, request=None, paper: str = "A4") -> bytes:
    return report_document(context, request, paper).write_pdf()


def report_document(context: dict, request=None, paper: str = "A4"):
    """The report laid out on its pages (WeasyPrint's Document), before it is written as a PDF."""
    from weasyprint import CSS, HTML  # imported here: the rest of the app starts without its system libraries

    html = render_to_string("prevention/doctor/report.html", {**context, "pdf": True}, request=request)
    css = CSS(filename=finders.find(STYLESHEET), url_fetcher=_no_fetching)
    size = CSS(string=f"@page {{ size: {paper_of(paper)}; }}")
    return HTML(string=html, url_fetcher=_no_fetching).render(stylesheets=[css, size])
