"""Demo and load data for the diary: plain generators, and one function that saves them.

`demo_diary` is the demo account's four weeks (manage.py seed_demo); `volume_diary` is
years of entries for the query-count test and the benchmark (bench/diary_page.py).
Both are deterministic: the same date and seed give the same diary.
"""

import random
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from django.db import transaction

from . import vocabulary as v
from .models import DayLog, Episode

DEMO_SEED = 2026
DEMO_ZONE = "Europe/Kyiv"
DEMO_DAYS = 28

# Most days are eaten from these; the article's cramp foods turn up only now and then.
EVERYDAY_FOODS = [code for code, _label in v.OTHER_FOODS]
SOMETIMES_ARTICLE_FOODS = ["dairy", "fish", "dill", "parsley", "dried_apricots", "green_onions"]

# The person's week: she works in a shop on weekdays and runs (intervals on Tuesday,
# an easy run on Thursday, the long run on Saturday). Monday is 0.
WEEK = {
    0: {"exertion": "moderate", "training": None, "standing": (7.0, 8.0), "footwear": "comfortable"},
    1: {"exertion": "hard", "training": (50, 70), "standing": (6.0, 7.5), "footwear": "sports"},
    2: {"exertion": "moderate", "training": None, "standing": (7.5, 9.0), "footwear": "uncomfortable"},
    3: {"exertion": "moderate", "training": (35, 45), "standing": (6.5, 8.0), "footwear": "comfortable"},
    4: {"exertion": "hard", "training": None, "standing": (9.0, 10.5), "footwear": "uncomfortable"},
    5: {"exertion": "hard", "training": (90, 130), "standing": (0.5, 1.5), "footwear": "sports"},
    6: {"exertion": "light", "training": None, "standing": (1.0, 2.5), "footwear": "barefoot"},
}
DAY_NOTES = {
    1: "Intervals at the stadium, 6 × 800 m.",
    2: "New work shoes again, feet ached by the evening.",
    4: "Stock-taking: on my feet all day.",
    5: "Long run.",
}


def _day_log(rng: random.Random, day: date, last_week: bool) -> dict:
    plan = WEEK[day.weekday()]
    exertion = plan["exertion"]
    training = rng.randint(*plan["training"]) if plan["training"] else None
    footwear = plan["footwear"]
    # Not every week is the same: a skipped run, comfortable shoes on a Wednesday...
    if training and rng.random() < 0.15:
        exertion, training, footwear = "moderate", None, "comfortable"
    elif plan["footwear"] == "uncomfortable" and rng.random() < 0.3:
        footwear = "comfortable"
    hard = exertion == "hard"
    foods = rng.sample(EVERYDAY_FOODS, rng.randint(2, 4))
    if rng.random() < 0.35:
        foods.append(rng.choice(SOMETIMES_ARTICLE_FOODS))
    notes = DAY_NOTES.get(day.weekday(), "") if exertion == plan["exertion"] and rng.random() < 0.5 else ""
    if notes == "Long run." and training:
        notes = f"Long run, {training // 6} km."
    return {
        "date": day,
        "exertion": exertion,
        "training_minutes": training,
        "standing_hours": round(rng.uniform(*plan["standing"]) * 2) / 2,
        "footwear": footwear,
        "cold_exposure": False,
        "heavy_sweating": bool(training and training >= 60 and rng.random() < 0.7),
        "fluid_litres": round(rng.uniform(1.2, 2.0) + (0.5 if training else 0.0), 1),
        "stress": min(8, max(2, round(rng.gauss(6.5 if day.weekday() == 4 else 4.5, 1.5)))),
        "sleep_hours": round(rng.uniform(6.0, 8.0) * 2) / 2,
        "foods": sorted(set(foods), key=[c for c, _l in v.FOODS].index),
        # Bedtime calf stretches and a foot massage: a habit taken up in the last week.
        "exercises_done": rng.random() < (0.85 if last_week else 0.2),
        "massage_done": rng.random() < (0.5 if last_week else 0.1),
        "symptoms": [],
        "notes": notes,
        "hard": hard,
    }


def _night_risk(day: dict) -> float:
    """How likely a cramp is in the night after this day: hard days and standing make it likelier."""
    risk = 0.15
    if day["exertion"] == "hard":
        risk += 0.38
    if (day["standing_hours"] or 0) >= 8.5:
        risk += 0.15
    if day["footwear"] in ("uncomfortable", "high_heels"):
        risk += 0.12
    if day["cold_exposure"]:
        risk += 0.3
    if day["heavy_sweating"] and (day["fluid_litres"] or 0) < 2.2:
        risk += 0.08
    if day["exercises_done"]:
        risk -= 0.2
    return max(0.03, min(0.9, risk))


def _night_cramp(
    rng: random.Random, night_of: date, zone: tzinfo, severe: bool, after: datetime | None = None, hours: float = 4
) -> dict:
    """A cramp that woke the person between 01:00 and 01:00 + `hours` in the night after `night_of`,
    or, given `after`, 25 to 110 minutes after the night's previous cramp."""
    morning = night_of + timedelta(days=1)
    if after is None:
        local = datetime.combine(morning, time(1, 0), tzinfo=zone) + timedelta(
            seconds=rng.randint(0, int(hours * 3600) - 1)
        )
    else:  # the same night, later
        local = after.astimezone(zone) + timedelta(minutes=rng.randint(25, 110))
    muscle = rng.choices(["calf", "foot", "toes"], weights=[7, 3, 1])[0]
    intensity = min(9, max(3, round(rng.gauss(7 if severe else 5, 1.5))))
    relief = {
        "calf": ["stretching", "massage", "walking"],
        "foot": ["stretching", "massage", "walking"],
        "toes": ["stretching", "massage"],
    }[muscle]
    return {
        "started_at": local.astimezone(UTC).replace(microsecond=0),
        "leg": rng.choices(["right", "left", "both"], weights=[5, 4, 1])[0],
        "muscle": muscle,
        "intensity": intensity,
        "duration_seconds": min(240, max(30, int(rng.gauss(40 + intensity * 15, 30)))),
        "context": "sleep",
        "relieved_by": sorted(rng.sample(relief, rng.randint(1, 2)), key=relief.index),
        "notes": "Woke me up, had to stand on the cold floor." if intensity >= 8 and rng.random() < 0.5 else "",
    }


def demo_diary(
    today: date, seed: int = DEMO_SEED, days: int = DEMO_DAYS, zone: tzinfo | str = DEMO_ZONE
) -> tuple[list[dict], list[dict]]:
    """The demo person's diary for the `days` days that end yesterday (`today` is local).

    Returns (episodes, day logs) as plain dicts of model fields. Cramps come mostly in
    the night after hard days; every cramp started before the beginning of `today`, so
    none is in the future, and every one belongs to one of the `days` diary days.
    """
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    rng = random.Random(seed)
    first = today - timedelta(days=days)
    dates = [first + timedelta(days=i) for i in range(days)]
    # Two or three days without a log, as real diaries go (never yesterday's: it is fresh).
    skipped = set(rng.sample(dates[:-1], rng.choice([2, 3]))) if days > 7 else set()
    cold_evenings = set(rng.sample(dates, 2)) if days >= 14 else set()
    all_days = []
    for day in dates:
        log = _day_log(rng, day, last_week=(today - day).days <= 7)
        if day in cold_evenings:
            log["cold_exposure"] = True
            log["notes"] = (log["notes"] + " Cold feet all evening, the heating was off.").strip()
        all_days.append(log)

    episodes: list[dict] = []
    by_date = {log["date"]: log for log in all_days}
    for log in all_days:
        day = log["date"]
        # A cramp in the night after `day` belongs to `day`; last night's may not have happened yet.
        if day + timedelta(days=1) >= today:
            continue
        if rng.random() < _night_risk(log):
            # Sometimes two in one night: then the first comes early enough for the second before 05:00.
            two = rng.random() < (0.35 if log["hard"] else 0.12)
            first_cramp = _night_cramp(rng, day, zone, severe=log["hard"], hours=2 if two else 4)
            episodes.append(first_cramp)
            if two:
                episodes.append(_night_cramp(rng, day, zone, severe=log["hard"], after=first_cramp["started_at"]))
            # A broken night: less sleep is noted in the next day's log.
            if day + timedelta(days=1) in by_date:
                following = by_date[day + timedelta(days=1)]
                following["sleep_hours"] = max(5.5, following["sleep_hours"] - rng.choice([0.5, 1.0, 1.5]))
                # A hard cramp leaves the calf sore the next day: normal, and no warning sign (NHS).
                if first_cramp["intensity"] >= 7:
                    following["symptoms"] = ["pain_after_cramp"]
    # Now and then a cramp at the end of the long run itself.
    for log in all_days:
        if log["training_minutes"] and log["training_minutes"] >= 100 and rng.random() < 0.3:
            local = datetime.combine(log["date"], time(8, 30), tzinfo=zone) + timedelta(
                minutes=log["training_minutes"] - rng.randint(0, 10)
            )
            episodes.append(
                {
                    "started_at": local.astimezone(UTC),
                    "leg": rng.choice(["left", "right"]),
                    "muscle": "calf",
                    "intensity": rng.randint(4, 7),
                    "duration_seconds": rng.randint(30, 90),
                    "context": "exercise",
                    "relieved_by": ["stretching", "walking"],
                    "notes": "Near the end of the long run.",
                }
            )
    day_logs = []
    for log in all_days:
        log = dict(log)
        log.pop("hard")
        if log["date"] not in skipped:
            day_logs.append(log)
    episodes.sort(key=lambda e: e["started_at"])
    return episodes, day_logs


def volume_diary(
    today: date, days: int = 1100, cramps: int = 1500, seed: int = 7, zone: tzinfo | str = DEMO_ZONE
) -> tuple[list[dict], list[dict]]:
    """Years of diary for load tests: a day log for every one of `days` days before `today`
    and exactly `cramps` night cramps spread over them (several in some nights)."""
    zone = ZoneInfo(zone) if isinstance(zone, str) else zone
    rng = random.Random(seed)
    first = today - timedelta(days=days)
    day_logs = [_day_log(rng, first + timedelta(days=i), last_week=False) for i in range(days)]
    for log in day_logs:
        log.pop("hard")
    nights = sorted(rng.randrange(days - 1) for _ in range(cramps))  # the last night may be ahead
    episodes = []
    for index in nights:
        episodes.append(_night_cramp(rng, first + timedelta(days=index), zone, severe=rng.random() < 0.3))
    return episodes, day_logs


@transaction.atomic
def save_diary(user, episodes: list[dict], day_logs: list[dict], zone: tzinfo | None = None) -> None:
    """Write the dicts for `user` with bulk_create; each cramp's diary day is fixed by Episode.attribute."""
    if zone is None:
        zone = user.profile.zone
    objects = []
    for fields in episodes:
        episode = Episode(user=user, **fields)
        episode.attribute(zone)
        objects.append(episode)
    Episode.objects.bulk_create(objects, batch_size=500)
    DayLog.objects.bulk_create([DayLog(user=user, **fields) for fields in day_logs], batch_size=500)
