"""Warnings that cannot wait for an assessment: shown as soon as an entry is saved.

Which signs need a doctor, and how soon, is decided in one place: the red-flag rules
(prevention/flag_rules.py, ../shared/spec). The diary does not import them; it announces the
saved entry with `entry_saved`, and whoever judges the diary answers with the warnings to show
(prevention/signals.py). The diary home keeps showing an open warning until the newest diary
entries no longer support it (templates/prevention/_alarm.html).
"""

from datetime import date

from django.dispatch import Signal

# Sent after a cramp or a day log is saved: sender is the model class, with `user` and `day`
# (the diary day of the entry). Receivers return a list of warnings (strings) to show.
entry_saved = Signal()


def warnings_after_save(*, sender: type, user, day: date) -> list[str]:
    warnings: list[str] = []
    for _receiver, answer in entry_saved.send(sender=sender, user=user, day=day):
        warnings += [str(w) for w in answer or () if str(w) not in warnings]
    return warnings
