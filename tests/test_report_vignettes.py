"""Every vignette diary (tests/vignettes/) through the insights page and the doctor's report:
no error, at most two pages, every red flag and cause of the assessment named in the PDF."""

import io
import unicodedata
from html import unescape

import pytest
from django.db import connection
from django.utils.html import strip_tags
from pypdf import PdfReader

from prevention.assessment.document import present, to_document
from prevention.assessment.services import current_assessment
from tests.test_vignettes import vignette_params


def flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def report_of(name, path, client, make_user):
    """The vignette imported into a new account, its insights page opened; its report's HTML and the account."""
    from diary.exchange import import_document

    user = make_user(email=f"{name}@example.com")
    assert import_document(user, path.read_bytes()).ok
    client.force_login(user)
    assert client.get("/insights/", {"range": "all"}).status_code == 200
    html = client.get("/report/", {"range": "all"}).content.decode()
    assert "Leg-cramp report" in html
    return user, html


def named(user) -> list[str]:
    """What the report must name: every red flag and cause of the person's assessment."""
    expected = present(to_document(current_assessment(user)))
    return [item["label"] for item in expected["red_flags"] + expected["causes"]]


@pytest.mark.django_db
@pytest.mark.parametrize("name, path, doc", vignette_params())
def test_vignette_insights_and_report(name, path, doc, client, make_user):
    user, html = report_of(name, path, client, make_user)
    labels = named(user)
    page = flat(unescape(strip_tags(html)))
    for label in labels:
        assert flat(label) in page, f"{name}: {label!r} missing"
    if connection.vendor != "sqlite":
        return  # the PDF is drawn from the page just checked, the same on either database: drawn once
    response = client.get("/report/cramps-report.pdf", {"range": "all"})
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) <= 2, f"{name}: {len(reader.pages)} pages"
    text = flat(" ".join(page.extract_text() for page in reader.pages))
    for label in labels:
        assert flat(label) in text, f"{name}: {label!r} missing"
