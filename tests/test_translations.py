"""Ukrainian for real (issue 14): the catalogue, the compiled catalogue, the templates, dates and
the pages a person meets, in Ukrainian.

The checks, each named for what it finds:

- test_ukrainian_catalogue_has_no_untranslated_message / ..._no_fuzzy_message: every msgid in
  locale/uk/LC_MESSAGES/django.po has a reviewed translation. Strings added on other branches
  fail here by name after a merge until they are translated: the assertion lists them.
- test_ukrainian_catalogue_is_current_with_the_source: `makemessages` run on a copy of the
  source finds exactly the msgids the .po has (when it fails, run
  `DEBUG=true .venv/bin/python manage.py makemessages -l uk --no-obsolete`, then translate).
- test_templates_mark_every_visible_text_for_translation: a simple, documented heuristic (below).
- test_compiled_catalogue_matches_the_po: the .mo that `make` builds says what the .po says.
- dates, the language menu, and the main pages and a reminder e-mail in Ukrainian with no
  English sentence in them.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.template import engines
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "uk" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
DJANGO_UK_PO = Path(__import__("django").__file__).parent / "conf" / "locale" / "uk" / "LC_MESSAGES" / "django.po"
UTC = UTC

# Placeholders that must come through a translation unchanged.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%|\{\w*\}|</?[a-zA-Z][^>]*>")


def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def _show(entries) -> str:
    return "\n".join(f"  {e.msgid!r}  ({', '.join(f for f, _ in e.occurrences[:2])})" for e in entries)


# ---------------------------------------------------------------- the catalogue


def test_ukrainian_catalogue_has_no_untranslated_message():
    missing = [e for e in catalogue() if not e.obsolete and not e.translated() and "fuzzy" not in e.flags]
    assert not missing, f"{len(missing)} Ukrainian message(s) not translated yet:\n{_show(missing)}"


def test_ukrainian_catalogue_has_no_fuzzy_message():
    fuzzy = [e for e in catalogue() if not e.obsolete and "fuzzy" in e.flags]
    assert not fuzzy, (
        f"{len(fuzzy)} Ukrainian message(s) marked fuzzy (check the translation, then drop the flag):\n{_show(fuzzy)}"
    )


def test_ukrainian_catalogue_header_follows_djangos_own():
    ours, djangos = catalogue().metadata, polib.pofile(str(DJANGO_UK_PO)).metadata
    assert ours["Plural-Forms"] == djangos["Plural-Forms"]
    assert ours["Language"] == "uk"
    assert not catalogue().metadata_is_fuzzy


def test_ukrainian_translations_keep_placeholders_markup_and_edges():
    problems = []
    for e in catalogue():
        if e.obsolete or not e.translated():
            continue
        if e.msgid_plural:
            if sorted(e.msgstr_plural) != [0, 1, 2, 3]:
                problems.append(f"{e.msgid!r}: needs the 4 plural forms of Plural-Forms")
            forms = list(e.msgstr_plural.values())
            # a singular form may leave the number out ("one day"); every form keeps the other placeholders
            wanted = sorted(PLACEHOLDER.findall(e.msgid_plural))
        else:
            forms, wanted = [e.msgstr], sorted(PLACEHOLDER.findall(e.msgid))
        for form in forms:
            if sorted(PLACEHOLDER.findall(form)) != wanted:
                problems.append(f"{e.msgid!r}: placeholders/markup {wanted} but {sorted(PLACEHOLDER.findall(form))}")
            for edge in (e.msgid[:1], e.msgid[-1:]):
                if edge.isspace() and not (form.startswith(edge) or form.endswith(edge)):
                    problems.append(f"{e.msgid!r}: leading/trailing whitespace lost")
    assert not problems, "\n".join(problems)


def test_compiled_catalogue_matches_the_po():
    """`make` (install) compiles the .po; the .mo is never committed (.gitignore)."""
    assert MO.exists(), "locale/uk/LC_MESSAGES/django.mo is missing: run `make install` (it compiles the catalogue)"
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    stale = []
    for e in catalogue():
        if e.obsolete or not e.translated() or "fuzzy" in e.flags:
            continue
        got = compiled.get((e.msgctxt, e.msgid))
        if got is None or (got[0] if not e.msgid_plural else got[1]) != (
            e.msgstr if not e.msgid_plural else e.msgstr_plural
        ):
            stale.append(e)
    assert not stale, f"the .mo is stale for {len(stale)} message(s); run `make install`:\n{_show(stale[:20])}"
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "*.mo" in ignored


def _msgids(po: polib.POFile) -> set[tuple[str | None, str, str]]:
    return {(e.msgctxt, e.msgid, e.msgid_plural) for e in po if not e.obsolete}


@pytest.mark.heavy
@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed (make install brings it)")
def test_ukrainian_catalogue_is_current_with_the_source(tmp_path):
    """makemessages on a copy of the source finds the same msgids as the committed .po."""
    copy = tmp_path / "src"
    skip = {
        ".git",
        ".venv",
        "var",
        "staticfiles",
        "node_modules",
        ".pytest_cache",
        "test-results",
        "__pycache__",
        "static",
        "bench",
        ".hypothesis",
        "control",
    }
    shutil.copytree(ROOT, copy, ignore=lambda d, names: [n for n in names if n in skip or n.endswith(".mo")])
    env = {
        "PATH": "/usr/bin:/bin:/usr/local/bin",
        "DEBUG": "true",
        "HOME": str(tmp_path),
        "CRAMPS_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "uk", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    fresh, committed = _msgids(polib.pofile(str(copy / PO.relative_to(ROOT)))), _msgids(catalogue())
    new, gone = sorted(fresh - committed, key=str), sorted(committed - fresh, key=str)
    assert not (new or gone), (
        "locale/uk/LC_MESSAGES/django.po is behind the source; run "
        "`DEBUG=true .venv/bin/python manage.py makemessages -l uk --no-obsolete` and translate.\n"
        f"new msgids: {[m[1] for m in new]}\nmsgids no longer in the source: {[m[1] for m in gone]}"
    )


# ---------------------------------------------------------------- templates
#
# The heuristic: a template's visible text is what is left after removing, in order,
# {% comment %}…{% endcomment %} and {# … #}, <script>/<style> elements, HTML comments,
# {% blocktranslate %}…{% endblocktranslate %} and {% translate … %}, every other {% … %} tag and
# {{ … }} variable, the HTML tags themselves (after taking out the text of the attributes a person
# sees or hears: title, alt, placeholder, aria-label, data-label) and entities. What is left must
# hold no word of two or more Latin letters, except the allowed names below (the brand, file formats,
# units, symbols). Cyrillic would mean an untranslatable Ukrainian literal, and is refused too.
# Templates that only lay out allauth's or crispy's own translated elements are scanned the same way.

ALLOWED_WORDS = {"cramps", "JSON", "CSV", "UTC", "iCal", "A4"}
TEMPLATES = ROOT / "templates"
SEEN_ATTRIBUTES = re.compile(r"""\b(?:title|alt|placeholder|aria-label|data-label)\s*=\s*(["'])(.*?)\1""", re.S)


def visible_template_text(source: str) -> str:
    text = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", " ", source, flags=re.S)
    text = re.sub(r"{#.*?#}", " ", text, flags=re.S)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S | re.I)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = re.sub(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", " ", text, flags=re.S)
    text = re.sub(r"{%.*?%}", " ", text, flags=re.S)
    text = re.sub(r"{{.*?}}", " ", text, flags=re.S)
    seen = " ".join(m.group(2) for m in SEEN_ATTRIBUTES.finditer(text))
    text = re.sub(r"<[^>]*>", " ", text, flags=re.S) + " " + seen
    return re.sub(r"&#?\w+;", " ", text)


def untranslated_words(source: str) -> list[str]:
    words = re.findall(r"[A-Za-z\u0400-\u04FF][A-Za-z\u0400-\u04FF'’-]+", visible_template_text(source))
    return [w for w in words if w not in ALLOWED_WORDS]


def test_the_template_heuristic_finds_unmarked_text():
    assert untranslated_words('<p title="Open it">{% translate "Fine" %} Hello there</p>') == [
        "Hello",
        "there",
        "Open",
        "it",
    ]
    assert (
        untranslated_words(
            '{% blocktranslate with n=1 %}{{ n }} cramps{% endblocktranslate %} · {{ x|date:"l" }} cramps'
        )
        == []
    )
    assert (
        untranslated_words("<script>var label = 'left';</script>{# note #}<a href=\"{% url 'x' %}\">→ 3/10</a>") == []
    )


@pytest.mark.parametrize(
    "path", sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".txt"})
)
def test_templates_mark_every_visible_text_for_translation(path):
    words = untranslated_words((TEMPLATES / path).read_text())
    assert not words, f"templates/{path}: text outside {{% translate %}}/{{% blocktranslate %}}: {words}"


# ---------------------------------------------------------------- dates, numbers, language menu


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return engines["django"].from_string(source).render(context)


@pytest.mark.parametrize(
    ("fmt", "uk", "en"),
    [
        ("l, j E Y", "вівторок, 1 грудня 2026", "Tuesday, 1 December 2026"),
        ("l, j E", "вівторок, 1 грудня", "Tuesday, 1 December"),
        ("l, j E, H:i", "вівторок, 1 грудня, 21:30", "Tuesday, 1 December, 21:30"),
        ("j E Y", "1 грудня 2026", "1 December 2026"),
        ("j E, H:i", "1 грудня, 21:30", "1 December, 21:30"),
        ("F Y", "Грудень 2026", "December 2026"),
        ("DATE_FORMAT", "1 грудня 2026", None),
        ("DATETIME_FORMAT", "1 грудня 2026, 21:30", None),
    ],
)
def test_dates_read_as_ukrainian_writes_them(fmt, uk, en):
    moment = datetime(2026, 12, 1, 21, 30)
    assert _render("{{ d|date:f }}", "uk", d=moment, f=fmt) == uk
    if en:
        assert _render("{{ d|date:f }}", "en", d=moment, f=fmt) == en


def test_every_weekday_is_lower_case_in_ukrainian():
    names = [_render('{{ d|date:"l" }}', "uk", d=date(2026, 11, 30) + timedelta(days=i)) for i in range(7)]
    assert names == ["понеділок", "вівторок", "середа", "четвер", "п’ятниця", "субота", "неділя"]
    assert _render('{{ d|date:"l" }}', "en", d=date(2026, 11, 30)) == "Monday"


def test_times_are_24_hour_and_numbers_have_a_decimal_comma():
    assert _render('{{ t|time:"H:i" }} {{ t|time:"TIME_FORMAT" }}', "uk", t=time(21, 5)) == "21:05 21:05"
    assert _render("{{ x }} {{ x|floatformat:'-1' }}", "uk", x=1.5) == "1,5 1,5"
    assert _render("{{ x }}", "en", x=1.5) == "1.5"


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_language_menu_names_each_language_in_itself(client, db, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("home")).content.decode()
    menu = page[page.index('<select id="language"') :]
    menu = menu[: menu.index("</select>")]
    options = re.findall(r'<option value="(\w+)" lang="\w+"( selected)?>([^<]+)</option>', menu)
    assert [(code, name) for code, _, name in options] == [("en", "English"), ("uk", "Українська")]
    assert [code for code, selected, _ in options if selected] == [language]


NAV = {
    "diary:timeline": "Diary",
    "diary:calendar": "Calendar",
    "diary:day_log_new": "Day log",
    "prevention:assessment": "Causes",
    "prevention:plan": "Plan",
    "prevention:insights": "Insights",
    "diary:profile": "Profile",
    "diary:account": "Account",
}


def test_the_menu_follows_the_pages_language_in_turn(person_client):
    """The menu's links are kept once per process and language (templates/_nav_links.html): each
    language in turn, both ways, gets its own words, and the links lead where they should."""
    from django.utils import translation

    for language in ("en", "uk", "en", "uk"):
        person_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        page = person_client.get(reverse("diary:timeline")).content.decode()
        nav = page[page.index('<nav class="site-nav') : page.index("</nav>")]
        with translation.override(language):
            expected = [(reverse(name), translation.gettext(text)) for name, text in NAV.items()]
        assert re.findall(r'<a class="nav-pill" href="([^"]+)">([^<]+)</a>', nav) == expected, (language, nav)
        # The rest of what is kept once per process and language (base.html, diary/timeline.html):
        # the words of this language, the sign-out forms and the language menu whole.
        with translation.override(language):
            kept_words = [
                translation.gettext(text)
                for text in ("Skip to content", "Sign out", "Menu", "Log a cramp", "Tonight's routine", "Change")
            ]
            kept_words.append(
                translation.gettext(
                    "cramps is a diary, not a doctor: it does not diagnose. See a doctor about frequent or unusual cramps."
                )
            )
        for words in kept_words:
            assert html.escape(words, quote=False) in page or words in page, (language, words)
        assert page.count(f'action="{reverse("account_logout")}"') == 2
        assert page.count('name="csrfmiddlewaretoken"') == 3
        assert f'<option value="{language}" lang="{language}" selected>' in page
        assert page.count(" selected>") == 1


# ---------------------------------------------------------------- pages in Ukrainian

# English that may stay in a Ukrainian page: the brand, formats, and bibliographic references
# (source titles stay in their own language).
ENGLISH_STOPWORDS = set(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "more",
        "most",
        "not",
        "of",
        "on",
        "or",
        "than",
        "that",
        "the",
        "then",
        "this",
        "to",
        "was",
        "what",
        "when",
        "which",
        "while",
        "with",
        "you",
        "your",
    ]
)


class VisibleText(HTMLParser):
    """The text a person sees or hears: data outside script/style, plus title/alt/aria-label/placeholder."""

    SKIP = {"script", "style"}
    SEEN = {"title", "alt", "aria-label", "placeholder", "data-label"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.references = 0  # inside an element that lists sources

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        attrs = dict(attrs)
        if self.references or "data-source" in attrs or "data-sources" in attrs or tag == "cite":
            self.references += 1
        for name in self.SEEN & attrs.keys():
            if attrs[name]:
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        if self.references:
            self.references -= 1

    def handle_data(self, data):
        if not self.skipping and not self.references:
            self.parts.append(data)

    @classmethod
    def of(cls, page: str) -> str:
        parser = cls()
        parser.feed(page)
        return re.sub(r"\s+", " ", " ".join(parser.parts))


@functools.cache  # the catalogue on disk, read once per test process rather than once per page checked
def english_sentences() -> tuple[str, ...]:
    """Every msgid of four words or more, cut at its placeholders and markup: none may show in Ukrainian."""
    pieces = set()
    for e in catalogue():
        for msgid in filter(None, (e.msgid, e.msgid_plural)):
            for piece in PLACEHOLDER.split(html.unescape(msgid)):
                piece = " ".join(piece.split()).strip(" .,:;")
                if len(re.findall(r"[A-Za-z]+", piece)) >= 4:
                    pieces.add(piece)
    return tuple(sorted(pieces, key=len, reverse=True))


# English that is known to show in Ukrainian pages and is not the catalogue's to fix: Python
# constants not marked for translation. Each is listed here so that it is seen (none today).
def known_english() -> list[str]:
    return []


def english_found(text: str, allow_known: bool = True) -> list[str]:
    for known in known_english() if allow_known else ():
        text = text.replace(known, " ")
    found = [s for s in english_sentences() if s in text]
    # and any run of four or more Latin words with at least two common English words among them
    # (bibliographic references are left out by VisibleText; names like "NICE CKS" pass)
    for run in re.findall(r"(?:[A-Za-z][\w'’&-]*[,.:;]?\s+){3,}[A-Za-z][\w'’&-]*", text):
        if sum(w.lower() in ENGLISH_STOPWORDS for w in re.findall(r"[A-Za-z']+", run)) >= 2:
            found.append(run)
    return found


def test_the_english_detector_finds_english():
    assert english_found("Судома. Seek medical care today. Ще") != []
    assert english_found("щось and then it was over for me") != []
    assert english_found("щось A popular article on leg cramps") != []
    assert english_found("Зверніться по медичну допомогу сьогодні. cramps, JSON, 3/10") == []


TODAY = date(2026, 11, 20)


@pytest.fixture
def reader(make_user, client):
    """A Ukrainian reader with a full diary: the demo's 45 days, warning signs, medicines and conditions."""
    from diary.demo import demo_diary, save_diary
    from diary.models import DayLog

    user = make_user(
        email="chytach@example.com",
        language="uk",
        bedtime=time(22, 30),
        sex="female",
        birth_year=1960,
        flat_feet="yes",
        conditions=["varicose_veins", "diabetes"],
        medications=["statin", "diuretic_loop"],
    )
    episodes, day_logs = demo_diary(TODAY, zone=user.profile.zone)
    for entry in episodes + day_logs:
        entry["notes"] = ""  # the demo person's own words (in English) are not the app's
    save_diary(user, episodes, day_logs)
    last = DayLog.objects.filter(user=user).order_by("-date").first()
    last.symptoms = ["calf_swelling_one_side", "muscle_weakness", "tingling_around_mouth", "leg_swelling"]
    last.save()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    return user


MAIN_PAGES = [
    "home",
    "diary:timeline",
    "diary:calendar",
    "diary:day_log_new",
    "diary:episode_new",
    "diary:profile",
    "diary:account",
    "diary:export",
    "prevention:assessment",
    "prevention:how_it_works",
    "prevention:history",
    "prevention:plan",
    "prevention:schedule",
    "prevention:tonight",
    "prevention:print",
    "prevention:calendar",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", MAIN_PAGES)
def test_main_pages_in_ukrainian_have_no_english_sentence(client, reader, name):
    if name == "home":  # the signed-in home is the diary: the public home page, signed out
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="uk">' in page
    text = VisibleText.of(page)
    assert re.search(r"[а-яіїєґ]{4}", text), "no Ukrainian on the page"
    assert english_found(text) == [], f"{name}: English in the Ukrainian page"


@pytest.mark.django_db
def test_the_day_page_and_a_warning_read_in_ukrainian(client, reader):
    from diary.models import DayLog

    day = DayLog.objects.filter(user=reader).order_by("-date").first().date
    page = client.get(reverse("diary:day", args=[day])).content.decode()
    assert english_found(VisibleText.of(page)) == []
    home = VisibleText.of(client.get(reverse("diary:timeline")).content.decode())
    assert "Не розтягуйте й не масажуйте" in home  # the urgent sign, in Ukrainian
    weekday = _render('{{ d|date:"l, j E Y" }}', "uk", d=day)
    assert weekday in home and weekday[0].islower()


@pytest.mark.django_db
def test_a_reminder_e_mail_in_ukrainian_has_no_english_sentence(make_user):
    from diary.models import DayLog
    from prevention.models import Reminder
    from prevention.plan.due import refresh_next_send
    from prevention.reminders.delivery import deliver
    from prevention.reminders.dispatch import claim_due
    from tests import factories

    user = make_user(email="nahaduvannia@example.com", timezone="Europe/Kyiv", bedtime=time(22, 30), language="uk")
    refresh_next_send(user.pk, now=datetime(2026, 11, 2, 19, 0, tzinfo=UTC))
    factories.episode(user, datetime(2026, 11, 2, 0, 0, tzinfo=UTC))
    DayLog.objects.create(user=user, date=date(2026, 11, 2), symptoms=["calf_swelling_one_side"])
    (reminder_id,) = claim_due(now=datetime(2026, 11, 2, 20, 0, 30, tzinfo=UTC))
    assert deliver(reminder_id, now=datetime(2026, 11, 2, 20, 0, 40, tzinfo=UTC)) == Reminder.Status.SENT
    (message,) = mail.outbox
    assert message.extra_headers["Content-Language"] == "uk"
    assert "22:30" in message.subject and english_found(message.subject) == []
    assert message.body.startswith("СПЕРШУ ЗВЕРНІТЬСЯ ПО МЕДИЧНУ ДОПОМОГУ")
    for part in (message.body, VisibleText.of(message.alternatives[0][0])):
        assert "Не розтягуйте й не масажуйте литку" in part
        assert english_found(part) == [], part


def test_the_articles_name_is_translated():
    from prevention.assessment.rule_kit import SOURCES

    with translation.override("uk"):
        assert english_found(str(SOURCES["article"].title), allow_known=False) == []


@pytest.mark.django_db
def test_sign_up_and_password_reset_e_mails_in_ukrainian_have_no_english_sentence(client, person):
    """allauth's own e-mails come translated by allauth's catalogue; the pages around them by ours."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    signup = client.post(
        reverse("account_signup"),
        {
            "email": "nova@example.com",
            "password1": "a-good-pass-9876",
            "password2": "a-good-pass-9876",
            "timezone": "Europe/Kyiv",
        },
    )
    assert signup.status_code == 302
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    client.post(reverse("account_reset_password"), {"email": person.email})
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert re.search(r"[а-яіїєґ]{4}", message.body), message.body
        assert english_found(message.subject) == [] and english_found(message.body) == [], message.body


def test_the_catalogue_compiles_with_gettexts_own_checks():
    """msgfmt --check, as `make` compiles it: a format string that gettext reads differently fails here first."""
    if not shutil.which("msgfmt"):
        pytest.skip("gettext's msgfmt is not installed")
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(PO)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"])
def test_the_sign_in_pages_say_email_in_ukrainian_and_in_sentence_case(client, path):
    """django.contrib.auth's catalogue, read before allauth's, keeps "Email" in English; allauth's
    Ukrainian capitalises each word. The project's catalogue says both its own way (cramps/allauth_words.py)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    page = client.get(path).content.decode()
    labels = [
        re.sub(r"<[^>]+>|\*", "", label).strip() for label in re.findall(r"<label[^>]*>(.*?)</label>", page, re.S)
    ]
    assert "Електронна пошта" in labels and "Email" not in labels, labels
    assert "Мене" not in page and "Запам'ятати Мене" not in html.unescape(page)


@pytest.mark.django_db
def test_ukrainian_counts_read_right_for_one_and_for_many(person_client, person):
    """Label and number ("вечорів … — 1 із 28"), never a noun whose case depends on a number it cannot see."""
    from diary.services import local_evening_for
    from prevention.plan.services import record_routine_done

    record_routine_done(person, local_evening_for(person) - timedelta(days=1))
    person_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    page = person_client.get(reverse("diary:timeline")).content.decode()
    assert "вечорів із виконаним комплексом — 1 із" in page and "у 1 вечорах" not in page
    how = person_client.get(reverse("prevention:how_it_works")).content.decode()
    assert "ночей із судомами — 3" in how and "3 ночей" not in how


@pytest.mark.django_db
def test_the_sign_up_page_says_sign_in_and_numeric_passwords_in_good_ukrainian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    page = client.post(
        reverse("account_signup"), {"email": "nova@example.com", "password1": "12345678901", "password2": "12345678901"}
    ).content.decode()
    assert "увійдіть" in page and "будь ласка, увійти" not in page
    assert "Пароль не може складатися лише з цифр." in page
