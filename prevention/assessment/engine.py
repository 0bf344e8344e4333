"""The engine: a `Diary` of plain values in, an `Assessment` out; no database.

The rules are data (prevention/assessment/rules.py and flag_rules.py): each has an id, the
cause or red flag it feeds, a check, a weight or urgency, the sentence that explains it and the
source it rests on. The page "How the assessment works" is rendered from that table.

How a cause is scored: every rule that fires adds `weight × strength` (strength is 1 for a
plain fact, and for a diary pattern grows with the gap between cramp nights and other
nights). The contributions combine as independent pieces of evidence, 1 − Π(1 − wᵢ), so
more evidence raises the score but never above 1. Causes that clinical guidance does not
support are capped (facts.ARTICLE_ONLY_CAP, SINGLE_WEAK_RULE_CAP); a deficiency is never high.
Red flags follow the recency rule (`effective_urgency`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from prevention.assessment.facts import (
    ARTICLE_ONLY_CAP,
    DEFICIENCY_CAP,
    EVIDENCE_ORDER,
    HIGH,
    LIKELIHOOD_ORDER,
    MODERATE,
    RECENT_SIGN_DAYS,
    SINGLE_WEAK_RULE_CAP,
    URGENCY_ORDER,
    Assessment,
    CauseResult,
    Diary,
    Facts,
    Finding,
    FlagResult,
    Hit,
    Pattern,
)
from prevention.assessment.nutrition import NUTRIENT_CODES
from prevention.assessment.rules import CAUSES, IDIOPATHIC_RULES, RULES, RULES_VERSION, family, verdicts


def likelihood_of(score: float) -> str:
    if score >= HIGH:
        return "high"
    if score >= MODERATE:
        return "moderate"
    return "low"


def combine(weights: list[float]) -> float:
    """Independent pieces of evidence: 1 − Π(1 − w)."""
    remaining = 1.0
    for weight in weights:
        remaining *= 1.0 - max(0.0, min(1.0, weight))
    return 1.0 - remaining


def assess(diary: Diary, assessed_at: datetime | None = None) -> Assessment:
    """Assess a diary with the current rule table."""
    facts = Facts(diary)
    cause_hits: dict[str, list[tuple[Any, Hit]]] = defaultdict(list)
    flag_hits: dict[str, list[tuple[Any, Hit]]] = defaultdict(list)
    for rule in RULES:
        if rule.pattern and not facts.sufficient:
            continue  # the page says how many more days are needed
        hit = rule.check(facts)
        if hit is None:
            continue
        if not rule.is_flag and facts.profile.withheld_nutrients:
            hit = _without(hit, facts.profile.withheld_nutrients)
            if hit is None:
                continue
        (flag_hits if rule.is_flag else cause_hits)[rule.target].append((rule, hit))

    # No cause is listed while no cramp has been recorded (shared spec): a profile alone explains nothing.
    causes = [_cause(code, hits, CAUSES[code]) for code, hits in cause_hits.items()] if facts.episode_count else []
    # Nothing specific fits: most night cramps have no identifiable cause.
    # Not next to a warning sign, though: "nothing specific" must not sound like "nothing to check".
    if facts.sufficient and facts.episode_count and not flag_hits and not any(c.likelihood != "low" for c in causes):
        hits = [(rule, hit) for rule in IDIOPATHIC_RULES if (hit := rule.check(facts)) is not None]
        if hits:
            causes.append(_cause("idiopathic", hits, CAUSES["idiopathic"]))
    # By band first, then by how well guidance supports the cause: an article-only cause never
    # ranks above a guideline-backed one of the same band, whatever its score.
    causes.sort(
        key=lambda c: (
            LIKELIHOOD_ORDER[c.likelihood],
            EVIDENCE_ORDER[c.evidence_base],
            -c.score,
            list(CAUSES).index(c.code),
        )
    )
    flags = [_flag(code, hits, facts) for code, hits in flag_hits.items()]
    flags.sort(key=lambda f: (URGENCY_ORDER[f.urgency], f.code))

    patterns = []
    if facts.sufficient:
        judged = verdicts(facts)
        patterns = [
            Pattern(c, judged[f.code]) for f in family(facts.profile) if (c := facts.compare(f)).total + c.other_total
        ]
    return Assessment(
        rules_version=RULES_VERSION,
        assessed_at=assessed_at,
        period_from=facts.period_from,
        period_to=facts.period_to,
        days_logged=facts.days_logged,
        episode_count=facts.episode_count,
        sufficient_data=facts.sufficient,
        causes=causes,
        red_flags=flags,
        patterns=patterns,
    )


def effective_urgency(urgency: str, last_seen: date | None, period_to: date | None) -> str:
    """Recency (shared spec): an old sign, or one from the profile alone, never raises emergency or urgent."""
    if URGENCY_ORDER[urgency] > URGENCY_ORDER["urgent"]:
        return urgency
    if last_seen is None or period_to is None or (period_to - last_seen).days > RECENT_SIGN_DAYS:
        return "soon"
    return urgency


def _flag(code: str, hits: list, facts: Facts) -> FlagResult:
    urgencies = [effective_urgency(rule.urgency, hit.last_seen, facts.period_to) for rule, hit in hits]
    seen = [hit.last_seen for _rule, hit in hits if hit.last_seen is not None]
    return FlagResult(
        code=code,
        urgency=min(urgencies, key=URGENCY_ORDER.__getitem__),
        findings=[Finding(rule.id, hit.params) for rule, hit in hits],
        last_seen=max(seen) if seen else None,
    )


def _without(hit: Hit, withheld: frozenset[str]) -> Hit | None:
    """Potassium (and, with kidney disease, magnesium) safety: the hit with those elements taken out;
    None if nothing else is left."""
    if not withheld & set(hit.nutrients):
        return hit
    rest = tuple(n for n in hit.nutrients if n not in withheld)
    if not rest:
        return None
    return Hit({**hit.params, "nutrients": list(rest)}, strength=hit.strength, nutrients=rest, last_seen=hit.last_seen)


def _strongest_of_each_group(hits: list) -> list:
    """Rules of one group read the same days twice (shoes alone, shoes on days of effort): keep the strongest."""
    best: dict[str, tuple] = {}
    for rule, hit in hits:
        if rule.group and (
            rule.group not in best
            or rule.weight * hit.strength > best[rule.group][0].weight * best[rule.group][1].strength
        ):
            best[rule.group] = (rule, hit)
    return [(rule, hit) for rule, hit in hits if not rule.group or best[rule.group] == (rule, hit)]


def _cause(code: str, hits: list, info) -> CauseResult:
    hits = _strongest_of_each_group(hits)
    score = combine([rule.weight * hit.strength for rule, hit in hits])
    if info.evidence_base == "source_article_only":
        score = min(score, ARTICLE_ONLY_CAP)
    if info.evidence_base != "clinical_guideline" and len(hits) == 1:
        score = min(score, SINGLE_WEAK_RULE_CAP)
    if code == "micronutrient_deficiency":
        score = min(score, DEFICIENCY_CAP)
    nutrients: list[str] = []
    for _rule, hit in hits:
        nutrients += [n for n in hit.nutrients if n not in nutrients]
    return CauseResult(
        code=code,
        score=round(score, 3),
        likelihood=likelihood_of(round(score, 3)),
        evidence_base=info.evidence_base,
        findings=[Finding(rule.id, hit.params) for rule, hit in hits],
        nutrients=sorted(nutrients, key=NUTRIENT_CODES.index),
    )
