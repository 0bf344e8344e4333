"""The doctor's report: the print page, the PDF, and the share links that show it and nothing else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from diary.middleware import profile_of
from diary.services import local_today_for
from prevention.doctor import links
from prevention.doctor.pdf import report_pdf
from prevention.doctor.report import build, gather
from prevention.insights.ranges import FIXED, fixed_period, read_period
from prevention.models import DoctorLink

PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
}


def _private(response: HttpResponse) -> HttpResponse:
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


def content(user, period=None) -> dict:
    """The report's values; `period` is the owner's choice (the last 3 months unless chosen)."""
    return build(gather(user, local_today_for(user), timezone.now(), period))


def link_content(link: DoctorLink) -> dict:
    """The report a doctor's link shows: the period the person chose, up to the owner's today."""
    return content(link.user, fixed_period(link.period, local_today_for(link.user)))


def _owners_period(request):
    today = local_today_for(request.user)
    period, form = read_period(request.GET, today)
    query = f"?{request.GET.urlencode()}" if request.GET and form.is_valid() else ""
    return period, form, query


def _pdf_response(context: dict, request) -> HttpResponse:
    paper = request.GET.get("paper", "")
    response = HttpResponse(report_pdf(context, request, paper), content_type="application/pdf")
    stamp = context["r"]["period"]["last"].isoformat()
    response["Content-Disposition"] = f'attachment; filename="cramps-report-{stamp}.pdf"'
    return response


@require_safe
@login_required
def report(request):
    period, form, query = _owners_period(request)
    context = {
        "r": content(request.user, period),
        "pdf_url": reverse("prevention:report_pdf") + query,
        "shared": False,
        "share_period": period.key if period.key in FIXED else DoctorLink.Period.THREE_MONTHS,
        "form": form,
        "period": period,
    }
    return render(request, "prevention/doctor/report.html", context)


@require_safe
@login_required
def report_download(request):
    period, _form, _query = _owners_period(request)
    return _pdf_response({"r": content(request.user, period), "shared": False}, request)


@require_POST
@login_required
def share(request):
    try:
        days = int(request.POST.get("days", links.DEFAULT_DAYS))
    except ValueError:
        days = links.DEFAULT_DAYS
    period = request.POST.get("period", DoctorLink.Period.THREE_MONTHS)
    if period not in DoctorLink.Period.values:
        messages.error(request, _("Choose the report's period: 4 weeks, 3 months, a year or the whole diary."))
        return redirect(reverse("diary:account") + "#doctor-links")
    link, token = links.create_link(request.user, days=days, period=period)
    address = request.build_absolute_uri(reverse("prevention:shared_report", args=[token]))
    messages.success(
        request,
        _(
            "Your doctor's link to the report of %(period)s, valid until %(date)s. "
            "Copy it now: it is shown only this once. %(address)s"
        )
        % {
            "period": link.get_period_display(),
            "date": formats.date_format(timezone.localtime(link.expires_at), "j E Y, H:i"),
            "address": address,
        },
        extra_tags="share-link",  # the page offers a Copy button for the address (static/js/app.js)
    )
    return redirect(reverse("diary:account") + "#doctor-links")


@require_POST
@login_required
def revoke(request, link: int):
    if not links.revoke(request.user, link):
        raise Http404
    messages.success(request, _("The link is revoked: it no longer opens the report."))
    return redirect(reverse("diary:account") + "#doctor-links")


def _shared(request, token: str):
    link = links.active_link(token)
    if link is None:
        response = render(request, "prevention/doctor/link_gone.html", status=404)
        _private(response)
        return None, response
    links.mark_opened(link)  # the only write: "last opened" on the person's account page
    return link, None


def _as_owner(link):
    """The report in the person's language and time zone, whoever opens it."""
    profile = profile_of(link.user)
    return translation.override(profile.language or translation.get_language()), timezone.override(profile.zone)


@require_safe
def shared_report(request, token: str):
    link, refused = _shared(request, token)
    if refused:
        return refused
    language, zone = _as_owner(link)
    with language, zone:
        context = {
            "r": link_content(link),
            "pdf_url": reverse("prevention:shared_report_pdf", args=[token]),
            "shared": True,
            "link_period": link.get_period_display(),
        }
        response = render(request, "prevention/doctor/report.html", context)
    _private(response)
    return response


@require_safe
def shared_report_pdf(request, token: str):
    link, refused = _shared(request, token)
    if refused:
        return refused
    language, zone = _as_owner(link)
    with language, zone:
        context = {"r": link_content(link), "shared": True, "link_period": link.get_period_display()}
        response = _pdf_response(context, request)
    _private(response)
    return response
