"""How many examples each property test draws: the full number in `make test`, a tenth in
`make test-fast` (CRAMPS_HYPOTHESIS_SCALE=0.1), so the quick loop stays quick and CI stays thorough."""

import os

SCALE = float(os.environ.get("CRAMPS_HYPOTHESIS_SCALE", "1"))


def examples(full: int) -> int:
    return max(5, round(full * SCALE))
