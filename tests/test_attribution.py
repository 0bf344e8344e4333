from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from diary.attribution import diary_day

KYIV = ZoneInfo("Europe/Kyiv")


@pytest.mark.parametrize(
    "local, context, expected",
    [
        ("2026-10-03T02:40", "sleep", date(2026, 10, 2)),  # a night cramp belongs to the evening before
        ("2026-10-03T11:59", "sleep", date(2026, 10, 2)),
        ("2026-10-03T12:00", "sleep", date(2026, 10, 3)),  # a nap after midday is that day's
        ("2026-10-03T23:30", "sleep", date(2026, 10, 3)),
        ("2026-10-03T02:40", "rest", date(2026, 10, 3)),  # awake: its own date
        ("2026-10-03T07:30", "exercise", date(2026, 10, 3)),
        ("2026-10-03T02:40", None, date(2026, 10, 3)),
        ("2026-10-01T00:10", "sleep", date(2026, 9, 30)),  # across a month boundary
    ],
)
def test_diary_day(local, context, expected):
    started = datetime.fromisoformat(local).replace(tzinfo=KYIV)
    assert diary_day(started, KYIV, context) == expected


def test_diary_day_uses_the_persons_zone_not_utc():
    # 23:30 UTC on 2 Oct is 02:30 on 3 Oct in Kyiv: the night of 2 Oct there, but in UTC still the evening.
    started = datetime(2026, 10, 2, 23, 30, tzinfo=UTC)
    assert diary_day(started, KYIV, "sleep") == date(2026, 10, 2)
    assert diary_day(started, ZoneInfo("UTC"), "sleep") == date(2026, 10, 2)
    assert diary_day(started, ZoneInfo("America/New_York"), "sleep") == date(2026, 10, 2)
    assert diary_day(started, ZoneInfo("America/New_York"), "rest") == date(2026, 10, 2)
    assert diary_day(started, KYIV, "rest") == date(2026, 10, 3)


def test_daylight_saving_night():
    # The night the clocks go back in Kyiv (25 Oct 2026): 03:30 happens twice; both belong to 24 Oct.
    first = datetime(2026, 10, 25, 3, 30, fold=0, tzinfo=KYIV)
    second = datetime(2026, 10, 25, 3, 30, fold=1, tzinfo=KYIV)
    assert first.astimezone(UTC) != second.astimezone(UTC)
    assert diary_day(first, KYIV, "sleep") == diary_day(second, KYIV, "sleep") == date(2026, 10, 24)
