import calendar
import json
import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.formats import get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cramps.downloads import download

from . import cards, exchange, safety, services
from .forms import DayLogForm, DeleteAccountForm, EpisodeForm, ImportForm, ProfileForm
from .locking import lock_person
from .middleware import profile_of
from .models import DayLog, Episode, PendingImport

DAYS_PER_PAGE = cards.DAYS_PER_PAGE


def home(request):
    if request.user.is_authenticated:
        return redirect("diary:timeline")
    return render(request, "home.html")


def _warn(request, warnings: list[str]) -> None:
    for warning in warnings:
        messages.error(request, warning)


def _days_with_entries(user, dates) -> list[dict]:
    """The day logs and cramps of the given diary days: two queries, whatever the span."""
    logs = {log.date: log for log in DayLog.objects.filter(user=user, date__in=dates)}
    cramps: dict[date, list[Episode]] = {}
    for episode in Episode.objects.filter(user=user, day__in=dates).order_by("started_at"):
        cramps.setdefault(episode.day, []).append(episode)
    return [
        {
            "date": day,
            "log": logs.get(day),
            "cramps": cramps.get(day, []),
            "worst": max((e.intensity for e in cramps.get(day, [])), default=None),
        }
        for day in dates
    ]


def _requested_page(value: str | None) -> int:
    try:
        return int(value or 1)
    except ValueError:
        return 1  # as the paginator answers it


def _diary_days(user):
    """The dates with an entry, newest first (the diary page's order)."""
    return (
        DayLog.objects.filter(user=user)
        .order_by()
        .values_list("date", flat=True)
        .union(Episode.objects.filter(user=user).order_by().values_list("day", flat=True))
        .order_by("-date")
    )


def _diary_page(user, number: int, today: date) -> dict:
    """The cards of diary page `number` and where it lies among the pages: four queries."""
    page = Paginator(_diary_days(user), DAYS_PER_PAGE).get_page(number)
    shown = _days_with_entries(user, list(page.object_list))
    return {
        # Each card rendered once and kept until what it shows changes (diary/cards.py).
        "cards": mark_safe("".join(cards.day_cards(user, shown, today))),  # noqa: S308 - rendered templates
        "page": {
            "number": page.number,
            "num_pages": page.paginator.num_pages,
            "has_other_pages": page.has_other_pages(),
            "previous_page_number": page.number - 1 if page.has_previous() else None,
            "next_page_number": page.number + 1 if page.has_next() else None,
        },
    }


@login_required
def timeline(request):
    today = services.local_today_for(request.user)
    number = _requested_page(request.GET.get("page"))
    # The whole page is kept until the diary changes (Profile.diary_version, raised by the
    # database with every change) or the day, language or zone does: no query on a hit.
    key = cards.page_key(request.user.pk, number)
    digest = cards.version_digest(request.user, number, today)
    cards.fetch_page(request, number)  # the page and what prevention keeps for it, in one round trip
    shown = cards.kept(key, digest, request)
    if shown is None:
        shown = _diary_page(request.user, number, today)
        if shown["page"]["number"] == number:  # a page past the end answers the last one: not kept under this number
            cards.keep(key, digest, shown)
    return render(request, "diary/timeline.html", {**shown, "today": today})


@login_required
def day_detail(request, day: date):
    entries = _days_with_entries(request.user, [day])[0]
    return render(request, "diary/day.html", {"day": entries, "today": services.local_today_for(request.user)})


def _month_from(value: str | None, today: date) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        if 1900 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    return today.year, today.month


@login_required
def calendar_month(request):
    today = services.local_today_for(request.user)
    year, month = _month_from(request.GET.get("month"), today)
    weeks = calendar.Calendar(firstweekday=(int(get_format("FIRST_DAY_OF_WEEK")) - 1) % 7).monthdatescalendar(
        year, month
    )
    first, last = weeks[0][0], weeks[-1][-1]
    nights = {
        row["day"]: row
        for row in Episode.objects.filter(user=request.user, day__range=(first, last))
        .values("day")
        .annotate(worst=Max("intensity"), count=Count("id"))
    }
    logged = set(DayLog.objects.filter(user=request.user, date__range=(first, last)).values_list("date", flat=True))
    prev_year, prev_m = (year - 1, 12) if month == 1 else (year, month - 1)
    next_year, next_m = (year + 1, 1) if month == 12 else (year, month + 1)
    context = {
        "month_start": date(year, month, 1),
        "weekdays": weeks[0],
        "weeks": [
            [
                {
                    "date": d,
                    "in_month": d.month == month,
                    "worst": nights.get(d, {}).get("worst"),
                    "count": nights.get(d, {}).get("count", 0),
                    "logged": d in logged,
                    "is_today": d == today,
                    "future": d > today,
                }
                for d in week
            ]
            for week in weeks
        ],
        "prev": f"{prev_year:04d}-{prev_m:02d}",
        "next": f"{next_year:04d}-{next_m:02d}",
        "today": today,
    }
    return render(request, "diary/calendar.html", context)


@login_required
def episode_new(request):
    if request.method == "POST":
        form = EpisodeForm(request.POST)
        if form.is_valid():
            episode = services.save_episode(request.user, form)
            messages.success(request, _("Cramp saved. Another one? Log it the same way."))
            _warn(request, safety.warnings_after_save(sender=Episode, user=request.user, day=episode.day))
            if "another" in request.POST:
                return redirect("diary:episode_new")
            return redirect(reverse("diary:timeline") + f"#day-{episode.day.isoformat()}")
    else:
        form = EpisodeForm(initial=services.new_episode_initial(request.user))
    return render(request, "diary/episode_form.html", {"form": form})


@login_required
def episode_edit(request, pk: int):
    episode = get_object_or_404(Episode, pk=pk, user=request.user)
    form = EpisodeForm(request.POST or None, instance=episode)
    if request.method == "POST" and form.is_valid():
        episode = services.save_episode(request.user, form)
        messages.success(request, _("Cramp updated."))
        _warn(request, safety.warnings_after_save(sender=Episode, user=request.user, day=episode.day))
        return redirect(reverse("diary:timeline") + f"#day-{episode.day.isoformat()}")
    return render(request, "diary/episode_form.html", {"form": form, "episode": episode})


@login_required
def episode_delete(request, pk: int):
    episode = get_object_or_404(Episode, pk=pk, user=request.user)
    return _confirm_delete(request, episode, episode.day, _("this cramp"), _("Cramp deleted."))


def _confirm_delete(request, entry, day: date, what: str, done: str):
    """GET asks, POST deletes: a link followed by accident never removes anything."""
    if request.method == "POST":
        entry.delete()
        # What was deleted does not stay in the cache: its date's card, and every kept page (a
        # page holds its cards' words too; the pages after it have moved up by one day).
        cards.forget_cards(request.user.pk, [day])
        cards.forget_pages(request.user.pk, cards.pages_for(_diary_days(request.user).count()) + 1)
        messages.success(request, done)
        return redirect("diary:timeline")
    return render(request, "diary/confirm_delete.html", {"what": what, "object": entry})


@login_required
def day_log_new(request):
    # "Today's day log" between midnight and 05:00 is the evening before's (the night rule).
    today = services.local_evening_for(request.user)
    try:
        day = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = today
    existing = DayLog.objects.filter(user=request.user, date=day).first()
    if existing and request.method == "GET":
        return redirect("diary:day_log_edit", day=day)
    return _day_log_form(request, DayLog(user=request.user), initial=services.new_day_log_initial(request.user, day))


@login_required
def day_log_edit(request, day: date):
    day_log = get_object_or_404(DayLog, user=request.user, date=day)
    return _day_log_form(request, day_log, initial=None)


def _day_log_form(request, day_log: DayLog, initial):
    was = day_log.date if day_log.pk else None
    form = DayLogForm(request.POST or None, instance=day_log, initial=initial, user=request.user)
    saved = services.save_day_log(request.user, form) if request.method == "POST" and form.is_valid() else None
    if saved is not None:
        if was is not None and saved.date != was:
            messages.success(
                request,
                _("Day log moved from %(was)s to %(now)s, with everything in it (the routine’s tick too).")
                % {"was": formats.date_format(was, "j E Y"), "now": formats.date_format(saved.date, "j E Y")},
            )
        else:
            messages.success(request, _("Day log saved."))
        _warn(request, safety.warnings_after_save(sender=DayLog, user=request.user, day=saved.date))
        return redirect(reverse("diary:timeline") + f"#day-{saved.date.isoformat()}")
    return render(request, "diary/day_log_form.html", {"form": form, "day_log": day_log})


@login_required
def day_log_delete(request, day: date):
    day_log = get_object_or_404(DayLog, user=request.user, date=day)
    return _confirm_delete(request, day_log, day_log.date, _("this day log"), _("Day log deleted."))


@login_required
def export_page(request):
    return render(request, "diary/export.html", {"import_form": ImportForm()})


@login_required
def export_json(request):
    document = exchange.export_document(request.user)
    stamp = services.local_today_for(request.user).isoformat()
    return download(
        json.dumps(document, ensure_ascii=False, indent=1), f"cramps-diary-{stamp}.json", "application/json"
    )


@login_required
def export_episodes_csv(request):
    stamp = services.local_today_for(request.user).isoformat()
    return download(exchange.episodes_csv(request.user), f"cramps-{stamp}.csv", "text/csv; charset=utf-8")


@login_required
def export_days_csv(request):
    stamp = services.local_today_for(request.user).isoformat()
    return download(exchange.days_csv(request.user), f"cramps-day-logs-{stamp}.csv", "text/csv; charset=utf-8")


def _pending_import(request, token: str | None = None, *, lock: bool = False) -> PendingImport | None:
    """The person's own upload waiting for confirmation (with the preview's token, if given); None if gone."""
    pending = PendingImport.objects.filter(user=request.user)
    if token is not None:
        try:
            pending = pending.filter(token=uuid.UUID(token))
        except ValueError:
            return None
    found = (pending.select_for_update() if lock else pending).first()
    return None if found is None or found.expired else found


def _refused(request, form, result):
    return render(request, "diary/import.html", {"import_form": form, "result": result}, status=400)


@login_required
def import_diary(request):
    """Step 1: upload. A valid file is kept for the preview; nothing is imported yet."""
    if request.method != "POST":
        return render(request, "diary/import.html", {"import_form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _refused(request, form, None)
    raw = form.cleaned_data["file"].read()
    result = exchange.preview_import(request.user, raw)
    if not result.ok:
        return _refused(request, form, result)
    now = timezone.now()
    PendingImport.forget_expired(now)  # beat does it too (diary.tasks), for a quiet site
    PendingImport.objects.update_or_create(
        user=request.user,
        defaults={"raw": raw, "summary": exchange.summary_of(result), "token": uuid.uuid4(), "uploaded_at": now},
    )
    return redirect("diary:import_preview")


@login_required
def import_preview(request):
    """Step 2: what the import would add and change, with Import and Cancel; a read."""
    pending = _pending_import(request)
    if pending is None:
        messages.info(request, _("No import is waiting. Choose a diary file to import."))
        return redirect("diary:export")
    # As worked out at upload; Import checks the file again against the diary as it is then.
    result = exchange.result_from(pending.summary)
    return render(request, "diary/import_preview.html", {"result": result, "token": pending.token})


@login_required
def import_confirm(request):
    """Step 3: import the file the person saw previewed, at most once (a second press finds it gone)."""
    if request.method != "POST":
        return redirect("diary:import_preview")
    with transaction.atomic():
        lock_person(request.user.pk)  # before the pending import's row, which deletion removes after it
        pending = _pending_import(request, request.POST.get("token", ""), lock=True)
        if pending is None:
            messages.info(request, _("This import was already done or cancelled; nothing more was imported."))
            return redirect("diary:timeline")
        result = exchange.import_document(request.user, bytes(pending.raw))
        pending.delete()
    if not result.ok:
        return _refused(request, ImportForm(), result)
    messages.success(
        request,
        _(
            "Imported %(episodes)s cramps and %(days)s day logs "
            "(%(skipped_e)s cramps and %(skipped_d)s day logs were already in your diary)."
        )
        % {
            "episodes": result.episodes_added,
            "days": result.days_added,
            "skipped_e": result.episodes_skipped,
            "skipped_d": result.days_skipped,
        },
    )
    return redirect("diary:timeline")


@login_required
def import_cancel(request):
    """Forget the uploaded file; nothing was imported."""
    if request.method == "POST":
        PendingImport.objects.filter(user=request.user).delete()
        messages.info(request, _("Import cancelled. Nothing was changed."))
    return redirect("diary:export")


@login_required
def profile_edit(request):
    profile = profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Profile saved."))
        return redirect("diary:profile")
    return render(request, "diary/profile.html", {"form": form})


@login_required
def account(request):
    return render(request, "diary/account.html")


@login_required
def account_delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user)
        messages.success(request, _("Your account and every record in it have been deleted."))
        return redirect("home")
    return render(request, "diary/account_delete.html", {"form": form})
