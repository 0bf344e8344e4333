"""Plain helpers to put diary entries in the database for tests."""

from datetime import date, datetime

from diary.models import DayLog, Episode


def episode(user, started_at: datetime, **fields) -> Episode:
    defaults = {"leg": "right", "muscle": "calf", "intensity": 6, "context": "sleep"}
    item = Episode(user=user, started_at=started_at, **{**defaults, **fields})
    item.attribute(user.profile.zone)
    item.save()
    return item


def day_log(user, day: date, **fields) -> DayLog:
    return DayLog.objects.create(user=user, date=day, **fields)
