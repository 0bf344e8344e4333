"""The assessment's pages: the current picture, its JSON, the history of snapshots, and "How it works"
(rendered from the rule table itself, so the page and the rules cannot disagree)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from cramps.downloads import json_download
from diary import vocabulary as v
from diary.services import local_today_for
from prevention.assessment import facts as a
from prevention.assessment import stats
from prevention.assessment.document import EVIDENCE_BASE_LABELS, present
from prevention.assessment.flag_rules import FLAGS, URGENCY_LABELS
from prevention.assessment.nutrition import NUTRIENTS, foods_rich_in
from prevention.assessment.rule_kit import ARTICLE_TITLE, SOURCES
from prevention.assessment.rules import ALL_RULES, CAUSES, FACTOR_LABELS, IDIOPATHIC_RULES, RULES_VERSION
from prevention.assessment.services import ensure_document
from prevention.models import Snapshot


@require_safe
@login_required
def assessment(request):
    today = local_today_for(request.user)
    doc = ensure_document(request.user, today)
    history = Snapshot.objects.filter(user=request.user).count()
    return render(
        request, "prevention/assessment.html", {"doc": present(doc), "history_count": history, "today": today}
    )


@require_safe
@login_required
def assessment_json(request):
    today = local_today_for(request.user)
    doc = ensure_document(request.user, today)
    return json_download(doc, f"cramps-assessment-{today.isoformat()}.json")


@require_safe
@login_required
def history(request):
    snapshots = Snapshot.objects.filter(user=request.user).order_by("-date")
    items = [{"snapshot": s, "doc": present(s.document)} for s in snapshots]
    return render(request, "prevention/history.html", {"items": items})


@require_safe
@login_required
def snapshot(request, pk: int):
    snap = get_object_or_404(Snapshot, pk=pk, user=request.user)
    return render(request, "prevention/snapshot.html", {"snapshot": snap, "doc": present(snap.document)})


@require_safe
@login_required
def snapshot_json(request, pk: int):
    snap = get_object_or_404(Snapshot, pk=pk, user=request.user)
    return json_download(snap.document, f"cramps-assessment-{snap.date.isoformat()}.json")


@require_safe
def how_it_works(request):
    """Rendered from the rule table itself, so the page and the rules cannot disagree."""
    rules_for = {}
    for rule in ALL_RULES:
        rules_for.setdefault(rule.target, []).append(
            {
                "rule": rule,
                "source": SOURCES[rule.source],
                "idiopathic": rule in IDIOPATHIC_RULES,
                "urgency_label": URGENCY_LABELS.get(rule.urgency, ""),
            }
        )
    causes = [
        {
            "code": code,
            "info": info,
            "evidence_base_label": EVIDENCE_BASE_LABELS[info.evidence_base],
            "rules": rules_for.get(code, []),
        }
        for code, info in CAUSES.items()
    ]
    flags = [
        {
            "code": code,
            "info": info,
            "rules": rules_for.get(code, []),
            "urgencies": [URGENCY_LABELS[u] for u in info.messages],
        }
        for code, info in FLAGS.items()
    ]
    nutrients = [
        {"label": label, "foods": [v.label(v.FOODS, f) for f in foods_rich_in(code)]} for code, label in NUTRIENTS
    ]
    context = {
        "causes": causes,
        "flags": flags,
        "sources": SOURCES,
        "factors": FACTOR_LABELS.values(),
        "nutrients": nutrients,
        "rules_version": RULES_VERSION,
        "article_title": ARTICLE_TITLE,
        "t": {
            "recent_sign_days": a.RECENT_SIGN_DAYS,
            "single_cap": round(a.SINGLE_WEAK_RULE_CAP * 100),
            "min_days": a.MIN_DAYS,
            "min_nights": stats.MIN_GROUP_NIGHTS,
            "min_events": stats.MIN_EVENTS,
            "fdr": round(stats.FDR * 100),
            "full_gap": round(a.FULL_GAP * 100),
            "high": round(a.HIGH * 100),
            "moderate": round(a.MODERATE * 100),
            "cap": round(a.ARTICLE_ONLY_CAP * 100),
        },
    }
    return render(request, "prevention/how.html", context)
