"""The article's bedtime leg exercises: five or six minutes every evening, even in bed.

Four exercises in the article's order, each leg in turn: pull the toes toward you with the
leg raised; point the toes away and pull them back; circle the feet both ways; lying on the
stomach, hold the toes and lift the legs. Plain data; the words are translated.

Each exercise also says how it is paced (``rest_seconds``, ``move_seconds``, ``both_ways``):
``guide`` turns it into the timed steps the routine's timer walks through (holds, rests, the
switch of legs), and an exercise's length is the sum of its steps. One source for the page's
timer, its "about N minutes" and the calendar event's length.

Nightly calf and hamstring stretching gave fewer and milder night cramps in one trial of
adults over 55 (Hallegraeff et al. 2012) and no effect in another; the plan says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _

#: Seconds to change from one leg to the other.
SWITCH_SECONDS = 5
LEGS = ("left", "right")  # the order the timer takes them in


@dataclass(frozen=True)
class Step:
    """One timed step of an exercise: a hold, a run of movements, a rest or the switch of legs."""

    kind: str  # "hold", "move", "rest", "switch"
    seconds: int
    leg: str | None = None  # "left", "right"
    repetition: int | None = None  # of a hold, from 1
    way: str | None = None  # foot circles: "one", "other"


@dataclass(frozen=True)
class Exercise:
    code: str
    title: Promise
    steps: tuple[Promise, ...]
    repetitions: int | None  # per leg when per_leg (foot circles: each way)
    hold_seconds: int | None  # each repetition
    per_leg: bool
    picture: Promise  # the words for its picture, static/img/exercises/<code>.svg
    rest_seconds: int = 0  # between two holds of one leg
    move_seconds: int = 0  # one unhurried movement when nothing is held (a point and pull back, a circle)
    both_ways: bool = False  # the repetitions one way, then the other (foot circles)

    @property
    def seconds(self) -> int:
        """The whole exercise, both legs, rests and the switch included."""
        return sum(step.seconds for step in guide(self))


ROUTINE: tuple[Exercise, ...] = (
    Exercise(
        code="toe_pulls",
        title=_("Toe pulls with the leg raised"),
        steps=(
            _("Lie on your back with both legs straight. Later in pregnancy, sit up against cushions instead."),
            _("Raise one leg as high as is comfortable; the knee may bend a little."),
            _("Pull the toes toward your chest. Your hands, or a towel around the ball of the foot, may help."),
            _("Hold for 20 seconds, feeling a gentle stretch in the calf and the back of the thigh. Breathe calmly."),
            _("Lower the leg and rest a moment. Do it 3 times, then the same with the other leg."),
        ),
        repetitions=3,
        hold_seconds=20,
        per_leg=True,
        picture=_("A person lying on the back, one leg raised, pulling the toes toward the body."),
        rest_seconds=5,
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
        picture=_("A foot pointing its toes away, and the same foot pulling them back, with arrows."),
        move_seconds=2,
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
        picture=_("A foot drawing a circle at the ankle, with an arrow each way."),
        move_seconds=2,
        both_ways=True,
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
        picture=_("A person lying on the stomach, one knee bent, a hand holding the toes."),
        rest_seconds=5,
    ),
)


def guide(ex: Exercise) -> tuple[Step, ...]:
    """The timed steps of an exercise: each leg's holds (with rests between) or movements, the switch between legs."""
    reps = ex.repetitions or 1
    legs: tuple[str | None, ...] = LEGS if ex.per_leg else (None,)
    steps: list[Step] = []
    for number, leg in enumerate(legs):
        if number:
            steps.append(Step("switch", SWITCH_SECONDS, leg=leg))
        if ex.hold_seconds:
            for repetition in range(1, reps + 1):
                if repetition > 1 and ex.rest_seconds:
                    steps.append(Step("rest", ex.rest_seconds, leg=leg))
                steps.append(Step("hold", ex.hold_seconds, leg=leg, repetition=repetition))
        elif ex.both_ways:
            steps.append(Step("move", reps * ex.move_seconds, leg=leg, way="one"))
            steps.append(Step("move", reps * ex.move_seconds, leg=leg, way="other"))
        else:
            steps.append(Step("move", reps * ex.move_seconds, leg=leg))
    return tuple(steps)


def _action(ex: Exercise, step: Step) -> str:
    reps = ex.repetitions or 1
    if step.kind == "hold":
        return ngettext(
            "hold %(seconds)s second (%(n)s of %(of)s)", "hold %(seconds)s seconds (%(n)s of %(of)s)", step.seconds
        ) % {"seconds": step.seconds, "n": step.repetition, "of": reps}
    if step.way == "one":
        return ngettext("%(count)s circle one way", "%(count)s circles one way", reps) % {"count": reps}
    if step.way == "other":
        return ngettext("%(count)s circle the other way", "%(count)s circles the other way", reps) % {"count": reps}
    return ngettext(
        "point and pull back the toes %(count)s time", "point and pull back the toes %(count)s times", reps
    ) % {"count": reps}


def cue(ex: Exercise, step: Step) -> str:
    """What the timer shows and says at the start of a step, e.g. "Left leg, hold 20 seconds (1 of 3)"."""
    if step.kind == "rest":
        return gettext("Rest")
    if step.kind == "switch":
        return gettext("Switch to the right leg") if step.leg == "right" else gettext("Switch to the left leg")
    leg = {"left": gettext("Left leg"), "right": gettext("Right leg")}.get(step.leg or "")
    action = _action(ex, step)
    return gettext("%(leg)s, %(action)s") % {"leg": leg, "action": action} if leg else action[:1].upper() + action[1:]


def done_cue() -> str:
    """What the timer says when an exercise is over."""
    return pgettext("routine timer", "Done")


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


ROUTINE_SECONDS = sum(exercise.seconds for exercise in ROUTINE)
