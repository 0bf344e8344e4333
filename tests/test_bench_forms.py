"""bench/load.py posts the app's real forms as a browser would: what it reads from each page saves."""

import sys
from pathlib import Path

import pytest

from diary.models import DayLog, Episode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import webforms  # noqa: E402  (bench/webforms.py)

pytestmark = pytest.mark.django_db


def post_back(client, url: str, having: str, **values):
    page = client.get(url)
    assert page.status_code == 200
    fields = webforms.replace(webforms.post_form(page.content.decode(), having), **values)
    assert any(name == "csrfmiddlewaretoken" for name, _ in fields), "the form's CSRF token is read from the page"
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post(url, data)


def test_the_forms_read_from_the_pages_save_as_the_load_run_posts_them(client, person):
    client.force_login(person)
    client.handler.enforce_csrf_checks = True  # as gunicorn serves it: the token must come from the page

    answer = post_back(client, "/diary/cramp/new/", "started_at", notes="load 1-1", intensity="7", leg="left")
    assert answer.status_code == 302
    episode = Episode.objects.get(user=person)
    assert (episode.notes, episode.intensity, episode.leg) == ("load 1-1", 7, "left")

    day = "2026-11-20"
    answer = post_back(client, f"/diary/day/?date={day}", "date", notes="load 1-2", date=day, fluid_litres="1.5")
    assert answer.status_code == 302
    answer = post_back(client, f"/diary/day/{day}/", "date", notes="load 1-3", date=day, stress="4")
    assert answer.status_code == 302
    day_log = DayLog.objects.get(user=person)
    assert (day_log.notes, day_log.stress, str(day_log.fluid_litres)) == ("load 1-3", 4, "1.5")


def test_the_parser_takes_what_a_browser_submits():
    html = """<form method="get"><input name="q" value="x"></form>
    <form method="post" action="/a/"><input type="hidden" name="csrfmiddlewaretoken" value="t">
    <input name="n" value="1"><input type="checkbox" name="c" value="a" checked><input type="checkbox" name="c" value="b">
    <input type="radio" name="r" value="x"><input type="radio" name="r" value="y" checked>
    <select name="s"><option value="1">one</option><option value="2" selected>two</option></select>
    <select name="f"><option value="p">p</option></select>
    <textarea name="t">
line</textarea><button type="submit" name="another">Save</button></form>"""
    assert webforms.post_form(html, "n") == [
        ("csrfmiddlewaretoken", "t"),
        ("n", "1"),
        ("c", "a"),
        ("r", "y"),
        ("s", "2"),
        ("f", "p"),
        ("t", "line"),
    ]
    with pytest.raises(LookupError):
        webforms.post_form(html, "missing")
