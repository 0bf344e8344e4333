
from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_safe

from diary.services import local_today_for

from prevention import export
from cramps.downloads import _json_download


@require_safe
@login_required
def export_json(request):
    """Assessments, plans, the routine's schedule and the reminder log (the diary has its own export)."""
    stamp = local_today_for(request.user).isoformat()
    return _json_download(export.export_document(request.user), f"cramps-plans-and-reminders-{stamp}.json")
