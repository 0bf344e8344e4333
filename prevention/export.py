"""Everything cramps keeps about a person beyond the diary: assessments, plans, the routine's
schedule and the reminder log, as one JSON document (the diary itself is exported to the
shared data-exchange contract by diary/exchange.py). Documented in docs/data-exchange.md."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.utils import timezone
from django.views.decorators.http import require_safe

from cramps.downloads import json_download
from diary.services import local_today_for
from prevention.models import DoctorLink, Plan, Reminder, Schedule, Snapshot
from prevention.plan import due

FORMAT = "cramps-prevention-export"
VERSION = 1


def _instant(value) -> str | None:
    return value.isoformat() if value else None


def export_document(user) -> dict[str, Any]:
    """Plain JSON values only; times in UTC (ISO 8601), dates as the person's local dates."""
    schedule = Schedule.objects.filter(user=user).first()
    profile = getattr(user, "profile", None)
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "joined_at": _instant(user.date_joined),
            "language": profile.language if profile else "",
        },
        "routine_schedule": None
        if schedule is None
        else {
            "evenings": sorted(schedule.weekdays),  # 0 = Monday, of the evening's date
            "time": schedule.at.strftime("%H:%M") if schedule.at else None,  # null: the usual bedtime
            "reminder_minutes_before": schedule.lead_minutes,
            "email_reminders": schedule.reminders_on,
            "plan_items_switched_off": list(schedule.hidden_items),
            "next_reminder_at": _instant(due.next_send_at(user.pk)),
        },
        "reminders": [
            {
                "evening": r.evening.isoformat(),
                "status": r.status,
                "due_at": _instant(r.due_at),
                "sent_at": _instant(r.sent_at),
                "attempts": r.attempts,
                "error": r.error,
            }
            for r in Reminder.objects.filter(user=user).order_by("evening")
        ],
        "assessments": [
            {"date": s.date.isoformat(), "rules_version": s.rules_version, "assessment": s.document}
            for s in Snapshot.objects.filter(user=user).order_by("date", "pk")
        ],
        "plans": [
            {
                "version": p.number,
                "made_at": _instant(p.created_at),
                "rules_version": p.rules_version,
                "items": p.items,
            }
            for p in Plan.objects.filter(user=user).order_by("number")
        ],
        # The doctor's links: when each was made, valid, revoked and last opened; never their secret or its hash.
        "doctor_links": [
            {
                "made_at": _instant(link.created_at),
                "expires_at": _instant(link.expires_at),
                "revoked_at": _instant(link.revoked_at),
                "last_opened_at": _instant(link.last_opened_at),
                "period": link.period,
            }
            for link in DoctorLink.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }


@require_safe
@login_required
def export_json(request):
    """Assessments, plans, the routine's schedule and the reminder log (the diary has its own export)."""
    stamp = local_today_for(request.user).isoformat()
    return json_download(export_document(request.user), f"cramps-plans-and-reminders-{stamp}.json")
