"""diary.bulk.insert stores exactly what bulk_create would (it replaces it in the import for speed)."""

from datetime import UTC, date, datetime, timedelta, timezone

from diary import bulk
from diary.models import DayLog, Episode

SKIP = {"id", "user", "created_at", "updated_at"}


def stored(model, user) -> list[tuple]:
    names = [f.attname for f in model._meta.concrete_fields if f.name not in SKIP]
    return list(model.objects.filter(user=user).order_by("pk").values_list(*names))


def episodes(user) -> list[Episode]:
    start = datetime(2026, 10, 1, 2, 40, 17, tzinfo=timezone(timedelta(hours=14)))
    made = [
        Episode(
            user=user,
            started_at=start,
            leg="left",
            muscle="calf",
            intensity=7,
            duration_seconds=None,
            context="",
            relieved_by=[],
            notes="",
        ),
        Episode(
            user=user,
            started_at=start + timedelta(days=1),
            leg="both",
            muscle="toes",
            intensity=1,
            duration_seconds=86400,
            context="sleep",
            relieved_by=["stretching", "heat"],
            notes="Судома «вночі» \\ ' \" 𝄞 =SUM(A1)\n\ttab",
        ),
    ]
    for episode in made:
        episode.attribute(user.profile.zone)
    return made


def day_logs(user) -> list[DayLog]:
    return [
        DayLog(user=user, date=date(2026, 10, 2)),
        DayLog(
            user=user,
            date=date(2026, 10, 3),
            exertion="hard",
            training_minutes=1440,
            standing_hours=0.1,
            footwear="high_heels",
            cold_exposure=True,
            heavy_sweating=True,
            fluid_litres=15.0,
            stress=0,
            sleep_hours=23.5,
            foods=["dairy", "fish"],
            exercises_done=True,
            massage_done=True,
            symptoms=["leg_swelling"],
            notes="a\\b'c\"d",
        ),
    ]


def test_the_same_rows_as_bulk_create(person, make_user):
    other = make_user(email="other@example.com")  # the same zone, so the same diary days
    bulk.insert(Episode, episodes(person))
    Episode.objects.bulk_create(episodes(other))
    bulk.insert(DayLog, day_logs(person))
    DayLog.objects.bulk_create(day_logs(other))
    assert stored(Episode, person) == stored(Episode, other) and len(stored(Episode, person)) == 2
    assert stored(DayLog, person) == stored(DayLog, other) and len(stored(DayLog, person)) == 2
    first = Episode.objects.filter(user=person).order_by("pk").first()
    assert first.created_at is not None and first.updated_at == first.created_at


def test_more_rows_than_one_statement_holds(person):
    start = datetime(2020, 1, 1, tzinfo=UTC)
    many = [
        Episode(
            user=person,
            started_at=start + timedelta(hours=i),
            day=date(2020, 1, 1),
            leg="left",
            muscle="calf",
            intensity=3,
        )
        for i in range(150)
    ]
    bulk.insert(Episode, many)
    assert Episode.objects.filter(user=person).count() == 150
