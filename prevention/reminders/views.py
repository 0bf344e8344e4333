"""The pages behind a reminder's links: "Done" (a visit changes nothing; the button records it) and
unsubscribe (GET shows a form, POST acts; one-click POSTs from mail clients need no CSRF token)."""

from django.contrib.auth import get_user_model
from django.core import signing
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt

from diary.attribution import routine_evening_of
from diary.models import DayLog
from diary.services import local_now_for
from prevention.plan.services import record_routine_done
from prevention.reminders import delivery, links


def done_link(request, token: str):
    """The e-mail's "Done" link. Mail scanners open links, so a visit only shows a button; the POST records."""
    try:
        user_id, evening = links.read_done_token(token)
    except signing.SignatureExpired:
        return render(request, "prevention/link_problem.html", {"expired": True}, status=410)
    except signing.BadSignature:
        return render(request, "prevention/link_problem.html", {"expired": False}, status=404)
    user = get_object_or_404(get_user_model(), pk=user_id)
    if evening > routine_evening_of(local_now_for(user)):
        # The night rule for a tick: an evening still to come cannot be done yet (diary.attribution).
        return render(request, "prevention/done_link.html", {"evening": evening, "ahead": True})
    if request.method == "POST":
        record_routine_done(user, evening)
        return render(request, "prevention/done_link.html", {"evening": evening, "recorded": True})
    done = DayLog.objects.filter(user=user, date=evening, exercises_done=True).exists()
    return render(request, "prevention/done_link.html", {"evening": evening, "recorded": done, "token": token})


@csrf_exempt  # RFC 8058: the mail client POSTs without our cookie; the signed link is the key
def unsubscribe(request, token: str):
    try:
        user_id = links.read_unsubscribe_token(token)
    except signing.SignatureExpired:
        return render(request, "prevention/link_problem.html", {"expired": True, "unsubscribe": True}, status=410)
    except signing.BadSignature:
        return render(request, "prevention/link_problem.html", {"expired": False}, status=404)
    if request.method == "POST":
        delivery.unsubscribe(user_id)
        return render(request, "prevention/unsubscribe.html", {"done": True})
    return render(request, "prevention/unsubscribe.html", {"done": False, "token": token})
