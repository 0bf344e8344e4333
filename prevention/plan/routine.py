"""The article's bedtime leg exercises: about five minutes every evening, even in bed.

Four exercises in the article's order, each leg in turn: pull the toes toward you with the
leg raised; point the toes away and pull them back; circle the feet both ways; lying on the
stomach, hold the toes and lift the legs. Plain data; the words are translated.

Nightly calf and hamstring stretching gave fewer and milder night cramps in one trial of
adults over 55 (Hallegraeff et al. 2012) and no effect in another; the plan says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Exercise:
    code: str
    title: Promise
    steps: tuple[Promise, ...]
    repetitions: int | None  # per leg when per_leg (foot circles: each way)
    hold_seconds: int | None  # each repetition
    per_leg: bool
    seconds: int  # the whole exercise, both legs, pauses included


ROUTINE: tuple[Exercise, ...] = (
    Exercise(
        code="toe_pulls",
        title=_("Toe pulls with the leg raised"),
        steps=(
            _("Lie on your back with both legs straight."),
            _("Raise one leg as high as is comfortable; the knee may bend a little."),
            _("Pull the toes toward your chest. Your hands, or a towel around the ball of the foot, may help."),
            _("Hold for 20 seconds, feeling a gentle stretch in the calf and the back of the thigh. Breathe calmly."),
            _("Lower the leg and rest a moment. Do it 3 times, then the same with the other leg."),
        ),
        repetitions=3,
        hold_seconds=20,
        per_leg=True,
        seconds=135,
    ),
    Exercise(
        code="point_and_flex",
        title=_("Point and pull back the toes"),
        steps=(
            _("Lie on your back, or sit up in bed, with the legs straight."),
            _("Point the toes of one foot away from you, slowly, as far as is comfortable."),
            _("Then pull them back toward your chest as far as is comfortable."),
            _("That is one time. Do it 10 times, then the same with the other foot."),
        ),
        repetitions=10,
        hold_seconds=None,
        per_leg=True,
        seconds=45,
    ),
    Exercise(
        code="foot_circles",
        title=_("Foot circles"),
        steps=(
            _("Lie on your back, or sit up in bed, with the legs straight."),
            _("Keep the leg still and slowly draw large circles with one foot, moving only the ankle."),
            _("Make 10 circles one way, then 10 the other way."),
            _("Then the same with the other foot."),
        ),
        repetitions=10,
        hold_seconds=None,
        per_leg=True,
        seconds=60,
    ),
    Exercise(
        code="prone_toe_hold",
        title=_("Toe hold lying on the stomach"),
        steps=(
            _(
                "Lie on your stomach. If that is uncomfortable, for example later in pregnancy, lie on your side instead."
            ),
            _("Bend one knee and reach back to hold the toes, or loop a towel around the foot and hold its ends."),
            _(
                "Gently lift the leg, drawing the heel toward you, until you feel a stretch along the front of the thigh and shin."
            ),
            _("Hold for 10 seconds, then lower the leg. Do it 3 times, then the same with the other leg."),
            _(
                "Stretch gently and never into pain. If a cramp starts, stop, straighten the leg and pull the toes toward you."
            ),
        ),
        repetitions=3,
        hold_seconds=10,
        per_leg=True,
        seconds=75,
    ),
)


ROUTINE_SECONDS = sum(exercise.seconds for exercise in ROUTINE)


def exercise_summary(ex: Exercise) -> str:
    """How much of an exercise, e.g. "3 × 20 s, each leg", in the active language."""
    reps, hold = ex.repetitions, ex.hold_seconds
    if reps and hold:
        dose = gettext("%(repetitions)s × %(seconds)s s") % {"repetitions": reps, "seconds": hold}
    elif reps and ex.code == "foot_circles":
        dose = ngettext("%(repetitions)s time each way", "%(repetitions)s times each way", reps) % {"repetitions": reps}
    elif reps:
        dose = ngettext("%(repetitions)s time", "%(repetitions)s times", reps) % {"repetitions": reps}
    elif hold:
        dose = gettext("hold %(seconds)s s") % {"seconds": hold}
    else:
        dose = ngettext("%(seconds)s second", "%(seconds)s seconds", ex.seconds) % {"seconds": ex.seconds}
    if ex.per_leg:
        return gettext("%(dose)s, each leg") % {"dose": dose}
    return dose
