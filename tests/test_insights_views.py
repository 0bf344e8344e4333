"""The insights page: empty, tiny, typical and three-year diaries; the range filter; a constant query count."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from diary.demo import demo_diary, save_diary, volume_diary
from diary.services import local_evening_for, local_today_for
from prevention.plan.services import ensure_plan
from tests.factories import day_log, episode

URL = reverse("prevention:insights")


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_an_empty_diary(person_client):
    html = get(person_client)
    assert "0 cramp nights" in html
    assert "No cramps in this period." in html
    assert html.count("Not enough data yet") == 9  # eight factors and the routine; no plan yet
    assert 'id="chart-weeks"' in html


def test_a_tiny_diary_one_cramp(person, person_client):
    today = local_today_for(person)
    day_log(person, today - timedelta(days=1), exertion="hard")
    episode(person, datetime.combine(today, datetime.min.time(), tzinfo=UTC) + timedelta(hours=1), intensity=8)
    html = get(person_client, range="4w")
    assert "1 cramp night" in html and "1 cramp in all" in html
    assert 'data-chart="chart-hours"' in html
    assert "Not enough data yet" in html


@pytest.fixture
def demo(person):
    today = local_today_for(person)
    episodes, days = demo_diary(today)
    save_diary(person, episodes, days)
    return person


def test_the_demo_diary_counts_and_compares(demo, person_client):
    html = get(person_client, range="4w")
    assert "of" in html and "nights" in html
    assert 'data-comparison="hard_training"' in html and 'data-comparison="routine"' in html
    assert "Benjamini–Hochberg" in html
    assert "times as likely (95% interval" in html
    assert '<svg class="chart-svg"' in html and "<title" in html
    assert "<script" not in html.split("</main>")[0].split("<main")[1]  # no inline scripts in the page body


def test_the_plan_is_marked_and_compared(demo, person_client):
    ensure_plan(demo, local_today_for(demo) - timedelta(days=3))
    html = get(person_client, range="4w")
    assert "plan v1" in html
    assert 'data-comparison="plan"' in html
    # the count of comparisons says what it counts: more than the rows listed, the plan apart
    assert "include the few comparisons the causes page adds" in html and "the plan is tested on its own" in html


def test_night_attribution_holds_at_the_edge_of_the_range(person, person_client):
    today = local_today_for(person)
    first = today - timedelta(days=27)
    # 03:00 on the range's first morning is the night of the day before: outside "4 weeks".

    zone = ZoneInfo("Europe/Kyiv")
    episode(person, datetime.combine(first, datetime.min.time(), tzinfo=zone) + timedelta(hours=3))
    assert "0 cramp nights" in get(person_client, range="4w")
    episode(person, datetime.combine(first + timedelta(days=1), datetime.min.time(), tzinfo=zone) + timedelta(hours=3))
    assert "1 cramp night" in get(person_client, range="4w")
    assert "2 cramp nights" in get(person_client, range="all")


@pytest.mark.parametrize(
    "params, message",
    [
        ({"range": "custom", "start": "2026-02-31", "end": "2026-03-05"}, "Enter a valid date"),
        ({"range": "custom", "start": "2026-03-05", "end": "2026-03-01"}, "The last day is before the first day."),
        ({"range": "custom", "start": "2026-03-05"}, "give both the first and the last day"),
        ({"range": "custom", "start": "1066-10-14", "end": "2026-03-01"}, "between 1970 and today"),
        ({"range": "forever"}, "Select a valid choice"),
    ],
)
def test_nonsense_ranges_get_a_message_not_an_error(person_client, params, message):
    html = get(person_client, **params)
    assert message in html
    assert "Showing the last 3 months instead." in html


def test_a_custom_range(demo, person_client):
    today = local_today_for(demo)
    html = get(person_client, range="custom", start=(today - timedelta(days=10)).isoformat(), end=today.isoformat())
    assert "From " in html and "Showing the last 3 months instead." not in html


def queries_for(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        get(client, **params)
    return len(queries)


def test_the_query_count_does_not_grow_with_the_diary(person, other, client):
    today = date.today()
    small_e, small_d = demo_diary(today)
    save_diary(person, small_e, small_d)
    big_e, big_d = volume_diary(today, days=1100, cramps=1500)
    save_diary(other, big_e, big_d)
    counts = []
    for user in (person, other):
        client.force_login(user)
        ensure_plan(user, today)
        get(client, range="all")  # warm: sessions, profile
        counts.append((queries_for(client, range="all"), queries_for(client, range="1y")))
    print("queries (all, 1y), demo vs three years:", counts)
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 10, counts


def test_the_three_year_diary_renders_every_chart(other, client):
    today = date.today()
    save_diary(other, *volume_diary(today, days=1100, cramps=1500))
    client.force_login(other)
    html = get(client, range="all")
    assert html.count('<svg class="chart-svg"') == 7
    assert 'data-comparison="long_standing"' in html


def test_the_assessment_shows_the_same_rate_ratio_as_insights(demo, person_client):
    """Both pages count the same nights with the same functions: the ratios agree."""
    import re

    causes = person_client.get(reverse("prevention:assessment")).content.decode()
    insights = get(person_client, range="all")
    row = re.search(r'data-pattern="hard_training".*?</tr>', causes, re.S).group(0)
    card = re.search(r'data-comparison="hard_training".*?</li>\s*</ul>.*?</li>', insights, re.S).group(0)
    ratio = re.search(r"rate ratio (\d+\.\d) \((\d+\.\d) to (\d+\.\d)\)", row).groups()
    assert f"Rate ratio {ratio[0]}:" in card and f"95% interval {ratio[1]} to {ratio[2]}" in card


def test_the_duration_and_hour_groups():
    from datetime import datetime as dt

    from prevention.insights import analysis
    from prevention.insights.selectors import Cramp

    def cramp(seconds, hour):
        return Cramp(date(2026, 1, 1), dt(2026, 1, 2, hour), "left", "calf", 5, seconds, "sleep", "")

    cramps = (cramp(10, 2), cramp(30, 2), cramp(59, 3), cramp(600, 23), cramp(None, 13))
    assert [n for _label, n in analysis.by_duration(cramps)] == [1, 2, 0, 0, 0, 1]
    hours = dict(analysis.by_hour(cramps))
    assert (hours[2], hours[3], hours[23], hours[13], hours[12]) == (2, 1, 1, 1, 0)
    assert [h for h, _n in analysis.by_hour(cramps)][:2] == [12, 13]  # midday to midday


def test_tonights_day_log_is_no_night_until_the_night_is_over(person):
    """Saved in the evening, today's log says nothing yet about tonight: it is no cramp-free night
    in the comparisons (10 of 10 nights after hard days had cramps, not 10 of 11), nor in the trend."""
    from prevention.assessment.facts import Facts
    from prevention.assessment.rules import FACTORS
    from prevention.insights import analysis
    from prevention.insights.selectors import diary_data

    evening = local_evening_for(person)
    for n in range(1, 21):
        day = evening - timedelta(days=n)
        day_log(person, day, exertion="hard" if n % 2 else "light")
        if n % 2:
            episode(
                person,
                datetime.combine(day + timedelta(days=1), time(3, 0), tzinfo=person.profile.zone),
                context="sleep",
            )
    day_log(person, evening, exertion="hard")  # tonight's night is not over
    data = diary_data(person, None, local_today_for(person))
    hard = FACTORS["hard_training"]
    compared = Facts(analysis.engine_diary(data)).compare(hard)
    assert (compared.hit, compared.total, compared.other_hit, compared.other_total) == (10, 10, 0, 10)
    assert evening not in data.nights() and len(data.nights()) == 20


def test_a_log_holding_only_the_routines_tick_never_says_the_legs_were_not_cold(person):
    from prevention.assessment.facts import Facts
    from prevention.assessment.rules import FACTORS
    from prevention.insights import analysis
    from prevention.insights.selectors import diary_data

    evening = local_evening_for(person)
    for n in range(1, 21):
        day = evening - timedelta(days=n)
        if n % 2:  # the form filled in: cold legs, and a cramp that night
            day_log(person, day, cold_exposure=True, exertion="light")
            episode(person, datetime.combine(day + timedelta(days=1), time(3, 0), tzinfo=person.profile.zone))
        else:  # only "Done" ticked: cold legs never asked
            day_log(person, day, exercises_done=True)
    facts = Facts(analysis.engine_diary(diary_data(person, None, local_today_for(person))))
    for code in ("cold_legs", "heavy_sweating"):
        compared = facts.compare(FACTORS[code])
        assert (compared.total, compared.other_total) == (10, 0), code
    assert facts.compare(FACTORS["no_bedtime_exercises"]).other_total == 10  # the tick itself counts


def test_weeks_cut_by_the_period_say_how_many_of_their_days_are_in_it():
    from prevention.assessment.facts import ProfileFacts
    from prevention.insights import analysis
    from prevention.insights.selectors import DiaryData

    # Thursday 5 Nov to Wednesday 2 Dec 2026: 4 days of the first week, 3 of the last
    data = DiaryData(
        first=date(2026, 11, 5), last=date(2026, 12, 2), cramps=(), days=(), profile=ProfileFacts(), plans=()
    )
    weeks = analysis.weeks(data)
    assert [(w.start, w.days) for w in (weeks[0], weeks[-1])] == [(date(2026, 11, 2), 4), (date(2026, 11, 30), 3)]
    assert [w.partial for w in weeks] == [True, False, False, False, True]
    assert sum(w.days for w in weeks) == 28


def test_the_insights_page_marks_a_partial_week(demo, person_client):
    today = local_today_for(demo)
    thursday = today - timedelta(days=today.weekday() + 11)  # the Thursday two weeks before this week's
    html = get(person_client, range="custom", start=thursday.isoformat(), end=today.isoformat())
    assert "(4 days in the period)" in html  # Thursday to Sunday of the first week
    assert "*: a week only partly in the period (fewer days, so fewer nights)." in html
