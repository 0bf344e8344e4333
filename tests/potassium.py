"""Where an assessment names potassium as lacking or to eat: the check behind the shared spec's
safety rule for people at risk of high potassium (kidney disease, dialysis, heart failure, a
potassium-sparing diuretic, an ACE inhibitor or ARB)."""

import re

# "potassium" as a person reads it: named as lacking, or advised. "Potassium-sparing" (a kind of
# diuretic that does not lower potassium) names a medicine, not the element.
POTASSIUM = re.compile(r"potassium(?![- ]sparing)", re.IGNORECASE)


def potassium_named(result: dict, *, flags: bool = True) -> list[str]:
    """Every place an assessment (the document, or one read back from the page) names potassium:
    a cause's nutrients, label or evidence and, with `flags`, a red flag's message or evidence."""
    found = []
    for cause in result["causes"]:
        if "potassium" in cause.get("nutrients", []):
            found.append(f"{cause['code']}: nutrients {cause['nutrients']}")
        texts = [cause.get("label", ""), *cause.get("evidence", [])]
        found += [f"{cause['code']}: {text}" for text in texts if POTASSIUM.search(text)]
    for flag in result["red_flags"] if flags else []:
        texts = [flag.get("message", ""), *flag.get("evidence", [])]
        found += [f"{flag['code']}: {text}" for text in texts if POTASSIUM.search(text)]
    return found
