"""The insights page: a person's own pattern, in pictures with tables, and honest comparisons."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from diary import vocabulary as v
from diary.services import local_today_for
from prevention.assessment import stats
from prevention.insights import analysis, charts
from prevention.insights.ranges import read_period
from prevention.insights.selectors import DiaryData, diary_data


def _week_label(day) -> str:
    return formats.date_format(day, "j M")


def _week_labels(week: analysis.Week) -> tuple[str, str]:
    """The week's label on the chart (marked * when only part of it is in the period) and in the table."""
    label = _week_label(week.start)
    if not week.partial:
        return label, label
    days = ngettext("%(n)s day in the period", "%(n)s days in the period", week.days) % {"n": week.days}
    return f"{label}*", f"{label} ({days})"


def _plan_markers(data: DiaryData, weeks: list[analysis.Week]) -> list[charts.Marker]:
    index = {week.start: i for i, week in enumerate(weeks)}
    return [
        charts.Marker(index[analysis.monday(mark.day)], _("plan v%(n)s") % {"n": mark.number})
        for mark in data.plans
        if analysis.monday(mark.day) in index
    ]


def time_charts(data: DiaryData) -> list[dict]:
    weeks = analysis.weeks(data)
    markers = _plan_markers(data, weeks)
    labels = [_week_labels(w) for w in weeks]
    nights = [(label, w.cramp_nights) for (label, _row), w in zip(labels, weeks)]
    worst = [(label, w.worst) for (label, _row), w in zip(labels, weeks)]
    week_head = (_("Week from"), _("Cramp nights"))
    note = (
        _("*: a week only partly in the period (fewer days, so fewer nights).") if any(w.partial for w in weeks) else ""
    )
    return [
        {
            "id": "chart-weeks",
            "title": _("Cramp nights per week"),
            "head": week_head,
            "rows": [(row, w.cramp_nights) for (_label, row), w in zip(labels, weeks)],
            "note": note,
            "svg": charts.bar_chart(
                "chart-weeks",
                _("Cramp nights per week"),
                _(
                    "Bars: nights with a cramp in each week; dashed lines: plan versions; "
                    "*: a week only partly in the period."
                ),
                nights,
                markers,
            ),
        },
        {
            "id": "chart-worst",
            "title": _("Worst intensity each week (1–10)"),
            "head": (_("Week from"), _("Worst intensity")),
            "rows": [(row, w.worst if w.worst is not None else "—") for (_label, row), w in zip(labels, weeks)],
            "note": note,
            "svg": charts.line_chart(
                "chart-worst",
                _("Worst intensity each week (1–10)"),
                _("Points: the strongest cramp of each week; gaps: weeks without cramps."),
                worst,
                10,
                markers,
            ),
        },
    ]


def cramp_charts(data: DiaryData) -> list[dict]:
    cramps = data.cramps
    hours = [(f"{hour:02d}", count) for hour, count in analysis.by_hour(cramps)]
    sets = [
        ("chart-hours", _("Time of night the cramps started"), (_("Hour"), _("Cramps")), hours),
        ("chart-legs", _("Leg"), (_("Leg"), _("Cramps")), analysis.by_code(cramps, "leg", v.LEGS)),
        ("chart-muscles", _("Muscle"), (_("Muscle"), _("Cramps")), analysis.by_code(cramps, "muscle", v.MUSCLES)),
        ("chart-intensity", _("Intensity (1–10)"), (_("Intensity"), _("Cramps")), analysis.by_intensity(cramps)),
        ("chart-duration", _("How long they lasted"), (_("Duration"), _("Cramps")), analysis.by_duration(cramps)),
    ]
    return [
        {
            "id": chart_id,
            "title": title,
            "head": head,
            "rows": rows,
            "svg": charts.bar_chart(chart_id, title, _("Bars: number of cramps in each group."), rows),
        }
        for chart_id, title, head, rows in sets
    ]


def comparison_rows(data: DiaryData) -> dict:
    rows, tested = analysis.compare_all(data)
    return {
        "comparisons": rows,
        "tested": tested,
        "min_nights": stats.MIN_GROUP_NIGHTS,
        "min_events": stats.MIN_EVENTS,
        "fdr": round(stats.FDR * 100),
    }


def page_context(data: DiaryData) -> dict:
    context = {
        "data": data,
        "logged_nights": len(data.days),
        "cramp_nights": analysis.cramp_nights(data.cramps),
        "cramp_count": len(data.cramps),
        "time_charts": time_charts(data),
        "cramp_charts": cramp_charts(data) if data.cramps else [],
    }
    context.update(comparison_rows(data))
    return context


@require_safe
@login_required
def insights(request):
    today = local_today_for(request.user)
    period, form = read_period(request.GET, today)
    data = diary_data(request.user, period.first, period.last)
    context = page_context(data)
    context.update({"period": period, "form": form, "start": data.start})
    return render(request, "prevention/insights/page.html", context)
