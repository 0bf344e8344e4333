"""The doctor's report as plain values: what a doctor reads in a minute, and nothing more.

`gather` does the reads (a fixed number of queries); `build` turns them into the report's
content (labels in the active language); the print page, the PDF and the share link all
render the same content with the same template.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from diary import vocabulary as v
from prevention.assessment.document import present, to_document
from prevention.assessment.services import current_assessment
from prevention.insights import analysis, charts
from prevention.insights.ranges import DEFAULT, Period
from prevention.insights.selectors import DiaryData, diary_data, latest_plan, routine_done_days, routine_weekdays
from prevention.models import Plan
from prevention.plan.content import ITEM_TEXTS
from prevention.plan.schedule import Adherence, adherence

REPORT_DAYS = 91  # the last three months of the diary, unless the person chooses another period
SEVERE_SHOWN = 5


@dataclass(frozen=True)
class Sources:
    """Everything the report is made from, read once."""

    data: DiaryData
    assessment: dict  # the presented assessment document
    plan: Plan | None
    adherence: Adherence
    routine_nights: int  # nights in the period with the routine done
    today: date
    generated_at: datetime


def default_period(today: date) -> Period:
    return Period(DEFAULT, today - timedelta(days=REPORT_DAYS - 1), today)


def gather(user, today: date, now: datetime, period: Period | None = None) -> Sources:
    """The reads: the period's diary (the last 3 months unless chosen), the assessment, the plan, the routine."""
    period = period or default_period(today)
    data = diary_data(user, period.first, period.last)
    done = routine_done_days(user, min(data.start, today - timedelta(days=28)), today)
    return Sources(
        data=data,
        assessment=present(to_document(current_assessment(user, now))),
        plan=latest_plan(user),
        adherence=adherence(done, routine_weekdays(user), today),
        routine_nights=sum(1 for d in done if data.start <= d <= data.last),
        today=today,
        generated_at=now,
    )


def profile_lines(data: DiaryData) -> list[str]:
    p = data.profile
    lines = []
    if p.sex:
        lines.append(v.label(v.SEX, p.sex))
    if p.birth_year:
        lines.append(
            _("born %(year)s (age about %(age)s)") % {"year": p.birth_year, "age": data.last.year - p.birth_year}
        )
    if p.pregnant:
        lines.append(_("pregnant, week %(week)s") % {"week": p.pregnancy_week} if p.pregnancy_week else _("pregnant"))
    if p.flat_feet == "yes":
        lines.append(_("flat feet"))
    return lines


def typical_lines(data: DiaryData) -> dict:
    t = analysis.typical(data.cramps)
    if not t:
        return {}
    duration = t["duration"]
    return {
        "time": _("%(from)02d:00–%(to)02d:00") % {"from": t["hour"], "to": (t["hour"] + 1) % 24},
        "leg": v.label(v.LEGS, t["leg"]),
        "muscle": v.label(v.MUSCLES, t["muscle"]),
        "intensity": t["intensity"],
        "duration": round(duration) if duration is not None else None,
    }


def frequency(data: DiaryData) -> dict:
    nights = analysis.cramp_nights(data.cramps)
    span = (data.last - data.start).days + 1
    weeks = analysis.weeks(data)
    bars = [(f"{w.start:%d.%m}{'*' if w.partial else ''}", w.cramp_nights) for w in weeks]
    return {
        "cramp_nights": nights,
        "cramps": len(data.cramps),
        "logged": len(data.days),
        "span_days": span,
        "per_week": round(nights * 7 / span, 1) if span else 0,
        "trend": analysis.trend(data),
        "partial_weeks": any(w.partial for w in weeks),
        "chart": charts.bar_chart(
            "report-weeks",
            _("Cramp nights per week"),
            _("Bars: nights with a cramp in each week; *: a week only partly in the period."),
            bars,
        ),
    }


def plan_summary(sources: Sources) -> dict | None:
    plan = sources.plan
    if plan is None:
        return None
    titles = [str(ITEM_TEXTS[item["code"]].title) for item in plan.items if item["code"] in ITEM_TEXTS]
    return {"number": plan.number, "made": plan.created_at, "items": titles}


def build(sources: Sources) -> dict:
    data = sources.data
    doc = sources.assessment
    findings = [row for row in analysis.comparisons(data) if row.verdict in ("more", "fewer")]
    return {
        "period": {"first": data.start, "last": data.last},
        "generated_at": sources.generated_at,
        "profile": profile_lines(data),
        "conditions": [v.label(v.CONDITIONS, c) for c in sorted(data.profile.conditions)],
        "medications": [v.label(v.MEDICATIONS, m) for m in sorted(data.profile.medications)],
        "frequency": frequency(data),
        "typical": typical_lines(data),
        "red_flags": doc["red_flags"],
        "causes": doc["causes"],
        "sufficient_data": doc["sufficient_data"],
        "findings": findings,
        "plan": plan_summary(sources),
        "adherence": sources.adherence,
        "routine_nights": sources.routine_nights,
        "severe": [
            {"cramp": c, "leg": v.label(v.LEGS, c.leg), "muscle": v.label(v.MUSCLES, c.muscle)}
            for c in analysis.most_severe(data.cramps, SEVERE_SHOWN)
        ],
    }
