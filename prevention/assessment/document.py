"""From a diary export to the engine's plain values, and from an assessment to its JSON document.

The document follows ../shared/spec/assessment.schema.json. It adds keys of its own, which
readers may ignore (docs/assessment.md): each cause's and red flag's `findings` (rule id and
the numbers behind the sentence, so a stored snapshot can be shown again in another
language), `label`, and at the top `min_days`, `days_needed` and `patterns`.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from diary import vocabulary as v
from diary.attribution import diary_day
from prevention.assessment import facts as a
from prevention.assessment.facts import Assessment, DayFacts, Diary, EpisodeFacts, Finding, ProfileFacts
from prevention.assessment.flag_rules import FLAGS, PROLONGED_WHOLE_MINUTES, URGENCY_LABELS
from prevention.assessment.nutrition import nutrient_label
from prevention.assessment.rule_kit import SOURCES
from prevention.assessment.rules import CAUSES, FACTOR_LABELS, RULES_BY_ID
from prevention.assessment.stats import RateRatio, comparison_table, rate_ratio

EVIDENCE_BASE_LABELS = {
    "clinical_guideline": _("Supported by clinical guidance"),
    "limited_studies": _("Limited support from studies"),
    "source_article_only": _("Claimed by the article only; clinical guidance does not support it"),
}


LIKELIHOOD_LABELS = {"high": _("High"), "moderate": _("Moderate"), "low": _("Low")}


SHOWN_DATES = 3


def _zone(name: str):
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _instant(text: str) -> datetime:
    from diary.exchange import parse_instant

    return parse_instant(text)


def profile_facts(doc: dict[str, Any]) -> ProfileFacts:
    return ProfileFacts(
        sex=doc.get("sex") or "",
        birth_year=doc.get("birth_year"),
        pregnant=bool(doc.get("pregnant")),
        pregnancy_week=doc.get("pregnancy_week") if doc.get("pregnant") else None,
        flat_feet=doc.get("flat_feet") or "unknown",
        conditions=frozenset(doc.get("conditions") or ()),
        medications=frozenset(doc.get("medications") or ()),
    )


def day_facts(doc: dict[str, Any]) -> DayFacts:
    return DayFacts(
        date=date.fromisoformat(doc["date"]) if isinstance(doc["date"], str) else doc["date"],
        exertion=doc.get("exertion") or "",
        training_minutes=doc.get("training_minutes"),
        standing_hours=doc.get("standing_hours"),
        footwear=doc.get("footwear") or "",
        cold_exposure=bool(doc.get("cold_exposure")),
        heavy_sweating=bool(doc.get("heavy_sweating")),
        fluid_litres=doc.get("fluid_litres"),
        stress=doc.get("stress"),
        sleep_hours=doc.get("sleep_hours"),
        foods=frozenset(doc.get("foods") or ()),
        exercises_done=bool(doc.get("exercises_done")),
        massage_done=bool(doc.get("massage_done")),
        symptoms=frozenset(doc.get("symptoms") or ()),
    )


def episode_facts(doc: dict[str, Any], day: date) -> EpisodeFacts:
    return EpisodeFacts(
        day=day,
        intensity=doc["intensity"],
        leg=doc.get("leg", ""),
        muscle=doc.get("muscle", ""),
        duration_seconds=doc.get("duration_seconds"),
        context=doc.get("context") or "",
        relieved_by=frozenset(doc.get("relieved_by") or ()),
    )


def diary_from_export(doc: dict[str, Any]) -> Diary:
    """A diary export (already checked against the schema) as the engine's values."""
    zone = _zone(doc["profile"]["timezone"])
    episodes = []
    for item in doc["episodes"]:
        context = item.get("context") or None
        episodes.append(episode_facts(item, diary_day(_instant(item["started_at"]), zone, context)))
    return Diary(
        profile=profile_facts(doc["profile"]),
        episodes=tuple(episodes),
        days=tuple(day_facts(item) for item in doc["days"]),
    )


def _date_text(iso: str) -> str:
    return formats.date_format(date.fromisoformat(iso), "j E Y")


def _list_text(items: list[str]) -> str:
    return ", ".join(items)


def _in_sentence(label: str) -> str:
    """A label as a word inside a sentence: its first letter small, unless it starts an abbreviation."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _and_list(items: list[str]) -> str:
    """ "a, b and c"."""
    if len(items) < 2:
        return "".join(items)
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}


def _dates_text(isos: list[str]) -> str:
    shown = [_date_text(d) for d in isos[:SHOWN_DATES]]
    more = len(isos) - SHOWN_DATES
    if more > 0:
        shown.append(ngettext("and %(n)s more day", "and %(n)s more days", more) % {"n": more})
    return _list_text(shown)


LABELS = {
    "symptoms": v.SYMPTOMS,
    "conditions": v.CONDITIONS,
    "medications": v.MEDICATIONS,
}


def _param_text(name: str, value: Any) -> Any:
    if name == "dates":
        return _dates_text(value)
    if name == "nutrients":
        return _and_list([nutrient_label(n) for n in value])
    if name in LABELS:  # inside a sentence: "you noted dialysis and kidney disease" (an "ACE …" keeps its capitals)
        return _and_list([_in_sentence(v.label(LABELS[name], code)) for code in value])
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1, use_l10n=True)
    if isinstance(value, int):
        return formats.number_format(value, use_l10n=True)
    return value


def sentence(finding: Finding | dict, fallback: str = "") -> str:
    """A finding's evidence sentence in the active language."""
    rule_id, params = (
        (finding.rule, finding.params) if isinstance(finding, Finding) else (finding["rule"], finding["params"])
    )
    rule = RULES_BY_ID.get(rule_id)
    if rule is None:
        return fallback
    values = {name: _param_text(name, value) for name, value in params.items()}
    if rule.what is not None:
        values["what"] = str(rule.what)
    template = rule.sentence
    if rule_id == "flag-prolonged" and params.get("seconds") == 0:
        template = PROLONGED_WHOLE_MINUTES
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):  # a snapshot from older rules
        return fallback or str(rule.when)


def _findings(findings: list[Finding]) -> list[dict[str, Any]]:
    return [{"rule": f.rule, "params": f.params} for f in findings]


def to_document(assessment: Assessment) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": "cramps-assessment",
        "version": 1,
        "rules_version": assessment.rules_version,
    }
    if assessment.assessed_at is not None:
        doc["assessed_at"] = assessment.assessed_at.replace(microsecond=0).isoformat()
    if assessment.period_from is not None and assessment.period_to is not None:
        doc["period"] = {"from": assessment.period_from.isoformat(), "to": assessment.period_to.isoformat()}
    doc.update(
        {
            "days_logged": assessment.days_logged,
            "episode_count": assessment.episode_count,
            "sufficient_data": assessment.sufficient_data,
            "min_days": a.MIN_DAYS,
            "days_needed": assessment.days_needed,
            "causes": [],
            "red_flags": [],
        }
    )
    for cause in assessment.causes:
        item: dict[str, Any] = {
            "code": cause.code,
            "label": str(CAUSES[cause.code].label),
            "likelihood": cause.likelihood,
            "score": cause.score,
            "evidence_base": cause.evidence_base,
            "evidence": [sentence(f) for f in cause.findings],
            "rules": [f.rule for f in cause.findings],
            "findings": _findings(cause.findings),
        }
        if cause.code == "micronutrient_deficiency":
            item["nutrients"] = cause.nutrients
        doc["causes"].append(item)
    for flag in assessment.red_flags:
        item = {
            "code": flag.code,
            "label": str(FLAGS[flag.code].label),
            "urgency": flag.urgency,
            "message": str(FLAGS[flag.code].messages[flag.urgency]),
            "evidence": [sentence(f) for f in flag.findings],
            "rules": [f.rule for f in flag.findings],
            "findings": _findings(flag.findings),
        }
        if flag.last_seen is not None:
            item["last_seen"] = flag.last_seen.isoformat()
        doc["red_flags"].append(item)
    doc["patterns"] = [
        {
            "factor": p.comparison.factor,
            "cramp_nights": {"with": p.comparison.hit, "of": p.comparison.total},
            "other_nights": {"with": p.comparison.other_hit, "of": p.comparison.other_total},
            "verdict": p.verdict,  # stats.judge: "more", "fewer", "unclear" or "too_few"
        }
        for p in assessment.patterns
    ]
    return doc


def localized(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document with its texts in the active language (from the findings, where known)."""
    doc = {**doc}
    causes = []
    for cause in doc.get("causes", []):
        findings = cause.get("findings") or []
        texts = cause.get("evidence", [])
        evidence = [sentence(f, texts[i] if i < len(texts) else "") for i, f in enumerate(findings)] or texts
        info = CAUSES.get(cause["code"])
        causes.append(
            {**cause, "evidence": evidence, "label": str(info.label) if info else cause.get("label", cause["code"])}
        )
    flags = []
    for flag in doc.get("red_flags", []):
        findings = flag.get("findings") or []
        texts = flag.get("evidence", [])
        evidence = [sentence(f, texts[i] if i < len(texts) else "") for i, f in enumerate(findings)] or texts
        info = FLAGS.get(flag["code"])
        message = str(info.messages.get(flag["urgency"], flag["message"])) if info else flag["message"]
        label = str(info.label) if info else flag.get("label", flag["code"])
        flags.append({**flag, "evidence": evidence, "message": message, "label": label})
    doc["causes"], doc["red_flags"] = causes, flags
    return doc


def picture(doc: dict[str, Any]) -> tuple:
    """What a person would call "the picture": causes with likelihoods, flags with urgency."""
    return (
        doc.get("sufficient_data"),
        tuple((c["code"], c["likelihood"], tuple(c.get("nutrients", ()))) for c in doc.get("causes", [])),
        tuple((f["code"], f["urgency"]) for f in doc.get("red_flags", [])),
    )


def present(doc: dict[str, Any]) -> dict[str, Any]:
    """The document, localized, with the labels and advice a page needs."""
    doc = localized(doc)
    if "period" in doc:
        doc["first_day"] = date.fromisoformat(doc["period"]["from"])
        doc["last_day"] = date.fromisoformat(doc["period"]["to"])
    for cause in doc["causes"]:
        info = CAUSES.get(cause["code"])
        cause["likelihood_label"] = str(LIKELIHOOD_LABELS.get(cause["likelihood"], cause["likelihood"]))
        cause["evidence_base_label"] = str(EVIDENCE_BASE_LABELS.get(cause["evidence_base"], cause["evidence_base"]))
        cause["means"] = str(info.means) if info else ""
        cause["next_step"] = str(info.next_step) if info else ""
        cause["see_doctor"] = bool(info and info.see_doctor)
        cause["nutrient_labels"] = [nutrient_label(n) for n in cause.get("nutrients", [])]
        cause["sources"] = _sources(cause.get("rules", []))
    for flag in doc["red_flags"]:
        flag["urgency_label"] = str(URGENCY_LABELS.get(flag["urgency"], flag["urgency"]))
        flag["last_seen_date"] = date.fromisoformat(flag["last_seen"]) if flag.get("last_seen") else None
        flag["sources"] = _sources(flag.get("rules", []))
    for item in doc.get("patterns", []):
        item["label"] = str(FACTOR_LABELS.get(item["factor"], item["factor"]))
        item["rate_ratio"] = pattern_rate_ratio(item)
    return doc


def pattern_rate_ratio(item: dict[str, Any]) -> RateRatio | None:
    """A pattern's counts as the insights page shows them: the same nights, the same statistics."""
    try:
        cramp, other = item["cramp_nights"], item["other_nights"]
        return rate_ratio(*comparison_table(cramp["with"], cramp["of"], other["with"], other["of"]))
    except (KeyError, TypeError, ValueError):  # a snapshot from an older document format
        return None


def _sources(rule_ids: list[str]) -> list[str]:
    titles: list[str] = []
    for rule_id in rule_ids:
        rule = RULES_BY_ID.get(rule_id)
        if rule and str(SOURCES[rule.source].title) not in titles:
            titles.append(str(SOURCES[rule.source].title))
    return titles
