"""Warnings that cannot wait for an assessment: shown as soon as an entry is saved.

They follow the red flags of ../shared/spec/README.md (NHS pages on leg cramps and DVT).
"""

from django.utils.translation import gettext as _

DVT_SIGNS = {"calf_swelling_one_side", "calf_red_or_warm", "pain_after_cramp"}
PROLONGED_SECONDS = 10 * 60


def day_log_warnings(symptoms: list[str]) -> list[str]:
    found = set(symptoms or [])
    if "chest_pain_or_breathless" in found:
        return [_("Chest pain or breathlessness: call emergency services now.")]
    if found & DVT_SIGNS:
        return [
            _(
                "A swollen, red or warm calf, or pain that stays after a cramp, can be a blood clot (DVT): "
                "get medical care today."
            )
        ]
    return []


def episode_warnings(duration_seconds: int | None) -> list[str]:
    if duration_seconds and duration_seconds > PROLONGED_SECONDS:
        return [_("A cramp lasting more than 10 minutes needs a doctor: get medical care today.")]
    return []
