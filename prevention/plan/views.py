"""The plan's pages: the plan, its items switched on and off, the routine's schedule, tonight's
routine, the printout, earlier versions and the calendar feed."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cramps.accounts import address_confirmed
from diary.attribution import evening_of, routine_evening_of
from diary.middleware import profile_of
from diary.models import DayLog
from diary.services import local_now_for, local_today_for
from prevention.assessment.flag_rules import FLAGS
from prevention.assessment.rule_kit import ARTICLE_TITLE
from prevention.assessment.rules import CAUSES
from prevention.assessment.services import open_alarms
from prevention.models import Plan, Reminder, Schedule
from prevention.plan import due
from prevention.plan.content import ITEM_TEXTS, LOCKED_ITEMS, SECTION_TITLES, SECTIONS, PlanItem, food_rows
from prevention.plan.feed import build_feed
from prevention.plan.forms import WEEKDAYS, ScheduleForm
from prevention.plan.routine import ROUTINE, ROUTINE_SECONDS, cue, done_cue, exercise_summary, guide
from prevention.plan.schedule import routine_time
from prevention.plan.services import (
    ensure_plan,
    ensure_schedule,
    record_routine_done,
    revoke_feed,
    routine_adherence,
    set_item_shown,
)


def _answer_label(code: str) -> str:
    if code in CAUSES:
        return str(CAUSES[code].label)
    if code in FLAGS:
        return str(FLAGS[code].label)
    return str(_("everyday prevention from the article"))


def plan_sections(plan: Plan, hidden: list[str]) -> list[dict]:
    """The plan's items grouped by section, in the reader's language."""
    sections: dict[str, dict] = {}
    for item in plan.items:
        words = ITEM_TEXTS.get(item["code"])
        if words is None:  # an item from an older version of the plan content
            continue
        section = sections.setdefault(
            item["section"],
            {"code": item["section"], "title": SECTION_TITLES.get(item["section"], item["section"]), "items": []},
        )
        section["items"].append(
            {
                "code": item["code"],
                "title": words.title,
                "text": words.text,
                "answers": [_answer_label(code) for code in item["answers"]],
                "hidden": item["code"] in hidden and item["code"] not in LOCKED_ITEMS,
                "locked": item["code"] in LOCKED_ITEMS,
                "foods": food_rows(
                    PlanItem(
                        item["code"],
                        item["section"],
                        tuple(item["answers"]),
                        tuple(item["nutrients"]),
                        tuple(item["foods"]),
                    )
                ),
            }
        )
    return [sections[code] for code in SECTIONS if code in sections]


def _routine_context(user) -> dict:
    schedule = ensure_schedule(user)
    profile = profile_of(user)
    at = routine_time(profile.bedtime, schedule.at)
    return {
        "schedule": schedule,
        "routine": [
            {
                "exercise": e,
                "summary": exercise_summary(e),
                "picture": f"img/exercises/{e.code}.svg",
                "guide": [{"step": step, "cue": cue(e, step)} for step in guide(e)],
            }
            for e in ROUTINE
        ],
        "done_cue": done_cue(),
        "routine_minutes": round(ROUTINE_SECONDS / 60),
        "routine_at": at,
        "evenings": [label for day, label in WEEKDAYS if day in schedule.weekdays],
        "every_evening": len(schedule.weekdays) == 7,
    }


def _plan_context(user, today) -> dict:
    """The current plan (made anew if the assessment changed it) with the routine's schedule."""
    context = _routine_context(user)
    context["alarms"] = open_alarms(user)
    context["article_title"] = ARTICLE_TITLE
    context["next_reminder_at"] = due.next_send_at(user.pk)
    current = ensure_plan(user, today)
    context.update({"plan": current, "sections": plan_sections(current, context["schedule"].hidden_items)})
    return context


@require_safe
@login_required
def plan(request):
    today = local_today_for(request.user)
    context = _plan_context(request.user, today)
    context.update(
        {
            "adherence": routine_adherence(request.user, today),
            "versions": Plan.objects.filter(user=request.user).count(),
            "last_reminder": Reminder.objects.filter(user=request.user).order_by("-evening").first(),
            "address_confirmed": address_confirmed(request.user),
            # the page prints as the printable plan, tick grid included
            "grid": tick_grid(today, set(context["schedule"].weekdays)),
        }
    )
    return render(request, "prevention/plan.html", context)


@require_POST
@login_required
def plan_item(request, code: str):
    if code not in ITEM_TEXTS:
        raise Http404
    shown = request.POST.get("shown") == "1"
    if not set_item_shown(request.user, code, shown):
        messages.error(request, _("This item stays in your plan while your diary shows a warning sign."))
    else:
        messages.success(request, _("Switched on.") if shown else _("Switched off. You can switch it on again below."))
    return redirect(reverse("prevention:plan") + f"#item-{code}")


@login_required
def schedule(request):
    current = ensure_schedule(request.user)
    bedtime = profile_of(request.user).bedtime
    form = ScheduleForm(request.POST or None, instance=current, bedtime=bedtime)
    if request.method == "POST" and form.is_valid():
        form.save()  # the next reminder follows (prevention.signals)
        messages.success(request, _("Your routine's schedule is saved."))
        return redirect("prevention:plan")
    return render(
        request,
        "prevention/schedule.html",
        {"form": form, "address_confirmed": address_confirmed(request.user)},
    )


def _posted_evening(raw: str | None, current: date) -> date | None:
    """The evening the page showed when "Done" was pressed: the current one, or the one before it
    (a page left open across noon); never one to come. None for anything else."""
    if not raw:
        return current
    try:
        chosen = date.fromisoformat(raw)
    except ValueError:
        return None
    return chosen if chosen in (current, current - timedelta(days=1)) else None


@login_required
def tonight(request):
    # The night rule for a tick (diary.attribution.routine_evening_of): until noon, the night just passed.
    local_now = local_now_for(request.user)
    evening = routine_evening_of(local_now)
    if request.method == "POST":
        done = request.POST.get("done", "1") == "1"
        chosen = _posted_evening(request.POST.get("evening"), evening)
        day = date_format(chosen or evening, "l, j E")
        if chosen is None:
            messages.error(request, _("That evening cannot be ticked here. Tick it in its day log instead."))
        elif done:
            record_routine_done(request.user, chosen, done)
            messages.success(request, _("Well done: the routine of %(day)s is in your diary.") % {"day": day})
        else:
            record_routine_done(request.user, chosen, done)
            messages.info(request, _("The routine of %(day)s is marked as not done.") % {"day": day})
        return redirect("prevention:tonight")
    done = DayLog.objects.filter(user=request.user, date=evening, exercises_done=True).exists()
    context = _routine_context(request.user)
    context.update(
        {
            "evening": evening,
            # 05:00 to noon: tonight has not begun, and "Done" is for the night just passed
            "night_passed": evening < evening_of(local_now),
            "done": done,
            "adherence": routine_adherence(request.user, local_today_for(request.user)),
            "alarms": open_alarms(request.user),
        }
    )
    return render(request, "prevention/tonight.html", context)


@require_safe
@login_required
def plan_print(request):
    today = local_today_for(request.user)
    context = _plan_context(request.user, today)
    context["grid"] = tick_grid(today, set(context["schedule"].weekdays))
    return render(request, "prevention/print.html", context)


def tick_grid(start, weekdays: set[int]) -> list[list[dict]]:
    """Four weeks of evenings from `start`, a row a week; unscheduled evenings are greyed out."""
    days = [start + timedelta(days=i) for i in range(28)]
    return [
        [{"date": d, "scheduled": d.weekday() in weekdays} for d in days[week * 7 : (week + 1) * 7]]
        for week in range(4)
    ]


@require_safe
@login_required
def plan_history(request):
    plans = Plan.objects.filter(user=request.user).order_by("-number")
    return render(request, "prevention/plan_history.html", {"plans": plans})


@require_safe
@login_required
def plan_version(request, number: int):
    version = get_object_or_404(Plan, user=request.user, number=number)
    return render(request, "prevention/plan_version.html", {"plan": version, "sections": plan_sections(version, [])})


@login_required
def calendar_link(request):
    if request.method == "POST":
        revoke_feed(request.user)
        messages.success(request, _("A new calendar link is ready; the old one no longer works."))
        return redirect("prevention:calendar")
    current = ensure_schedule(request.user)
    feed_url = request.build_absolute_uri(reverse("prevention:feed", args=[current.feed_token]))
    return render(request, "prevention/calendar.html", {"feed_url": feed_url})


@require_safe
def feed(request, token: str):
    """The private calendar feed: the secret in the address is the only key, so no login."""
    current = Schedule.objects.select_related("user__profile").filter(feed_token=token).first()
    if current is None:
        raise Http404
    profile = current.user.profile
    with translation.override(request.LANGUAGE_CODE):
        body = build_feed(
            zone_name=profile.timezone,
            weekdays=set(current.weekdays),
            at=routine_time(profile.bedtime, current.at),
            duration_minutes=max(5, round(ROUTINE_SECONDS / 60)),
            lead_minutes=current.lead_minutes,
            start=local_today_for(current.user),
            uid=f"bedtime-routine-{current.pk}@cramps",
            title=str(_("Bedtime leg exercises")),
            description="\n".join(f"{i}. {e.title} — {exercise_summary(e)}" for i, e in enumerate(ROUTINE, 1)),
            url=request.build_absolute_uri(reverse("prevention:tonight")),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cramps-bedtime-routine.ics"'
    response["Cache-Control"] = "private, max-age=3600"
    return response
