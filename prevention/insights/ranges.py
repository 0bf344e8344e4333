"""The range filter: 4 weeks, 3 months, a year, all, or two dates of the person's own choosing.

A range is of diary days (diary/attribution.py), so last night's 3 a.m. cramp is in "4 weeks"
whenever yesterday evening is. Nonsense (an unknown range, a date that does not exist, the end
before the start) gives the form's message and the default range, never an error page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

DEFAULT = "3m"
DAYS = {"4w": 28, "3m": 91, "1y": 365}
CHOICES = [
    ("4w", _("4 weeks")),
    ("3m", _("3 months")),
    ("1y", _("a year")),
    ("all", _("all of it")),
    ("custom", _("dates I choose")),
]
EARLIEST = date(1970, 1, 1)


@dataclass(frozen=True)
class Period:
    key: str
    first: date | None  # None: from the diary's first day
    last: date


class RangeForm(forms.Form):
    range = forms.ChoiceField(label=_("Period"), choices=CHOICES, required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        if data.get("range") != "custom":
            return data
        start, end = data.get("start"), data.get("end")
        if start is None or end is None:
            if not self.errors:
                raise forms.ValidationError(_("For dates you choose, give both the first and the last day."))
            return data
        if end < start:
            raise forms.ValidationError(_("The last day is before the first day."))
        if start < EARLIEST or start > self.today:
            raise forms.ValidationError(_("The first day must be between 1970 and today."))
        return data


FIXED = (*DAYS, "all")  # the ranges that need no dates: a doctor's link keeps one of these


def fixed_period(key: str, today: date) -> Period:
    """One of the FIXED ranges, ending `today` (a doctor's link: the period up to the day it is opened)."""
    if key == "all":
        return Period(key, None, today)
    return Period(key, today - timedelta(days=DAYS[key] - 1), today)


def read_period(params, today: date) -> tuple[Period, RangeForm]:
    """The period asked for in the query string (the default one if the form has errors)."""
    form = RangeForm(params or None, today=today)
    if not params or not form.is_valid():
        return fixed_period(DEFAULT, today), form
    key = form.cleaned_data.get("range") or DEFAULT
    if key in FIXED:
        return fixed_period(key, today), form
    return Period(key, form.cleaned_data["start"], min(form.cleaned_data["end"], today)), form
