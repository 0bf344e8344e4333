from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from diary.forms import ChipSelectMultiple
from prevention.models import Schedule
from prevention.plan.schedule import EVENING_ENDS, NEXT_DAY_BEFORE

WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


LEAD_CHOICES = [
    (0, _("At the routine's time")),
    (10, _("10 minutes before")),
    (15, _("15 minutes before")),
    (30, _("30 minutes before")),
    (45, _("45 minutes before")),
    (60, _("1 hour before")),
    (90, _("1½ hours before")),
    (120, _("2 hours before")),
]


class ScheduleForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Evenings"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=ChipSelectMultiple,
        help_text=_("The evenings you do the routine. Leave all off to pause it."),
    )
    lead_minutes = forms.TypedChoiceField(label=_("Reminder"), choices=LEAD_CHOICES, coerce=int)

    class Meta:
        model = Schedule
        fields = ["weekdays", "at", "lead_minutes", "reminders_on"]
        labels = {"at": _("Time of the routine"), "reminders_on": _("E-mail me a reminder on these evenings")}
        widgets = {"at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, bedtime=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].help_text = (
            _("Empty: your bedtime (%(time)s).") % {"time": bedtime.strftime("%H:%M")}
            if bedtime
            else _("Empty: your bedtime, or 22:00 while your profile has none.")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_weekdays(self):
        return sorted(set(self.cleaned_data["weekdays"]))

    def clean_at(self):
        at = self.cleaned_data.get("at")
        # The night rule: 05:00-11:59 is no evening's routine ("every evening at 06:00 … tonight").
        if at is not None and EVENING_ENDS <= at < NEXT_DAY_BEFORE:
            raise forms.ValidationError(
                _(
                    "The routine is done in the evening or at night: choose a time from %(noon)s to %(last)s "
                    "(a time after midnight counts for the evening before)."
                )
                % {"noon": NEXT_DAY_BEFORE.strftime("%H:%M"), "last": "04:59"}
            )
        return at
