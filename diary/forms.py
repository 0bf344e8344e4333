from datetime import UTC, datetime, timedelta
from decimal import Decimal

from allauth.core.internal import ratelimit
from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Fieldset, Layout
from django import forms
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import services
from . import vocabulary as v
from .models import DayLog, Episode, Profile, timezone_names, validate_timezone

#: The notes' limit (the same on both models); the form says it before the browser cuts a paste short.
NOTES_MAX = Episode._meta.get_field("notes").max_length
NOTES_HELP = format_lazy(_("Up to {limit} characters."), limit=NOTES_MAX)
NOTES_ERRORS = {
    "max_length": format_lazy(
        _("Notes can be at most {limit} characters long; shorten them and save again."), limit=NOTES_MAX
    )
}


def notes_widget() -> forms.Textarea:
    """The notes box, with the words of its live character counter (static/js/app.js) in the reader's language."""
    return forms.Textarea(
        attrs={
            "rows": 2,
            "data-counter": format_lazy(_("{count} of {limit} characters"), count="{count}", limit=NOTES_MAX),
            "data-counter-left": _("Characters left: {left}"),
        }
    )


# A phone's clock may run a little ahead of the server's.
CLOCK_SLACK = timedelta(minutes=5)
# Real zones run from -12:00 to +14:00. Python takes offsets up to 23:59 but PostgreSQL
# refuses 16:00 and more with an error (a 500), so anything past 14:00 is a typing mistake.
MAX_UTC_OFFSET = timedelta(hours=14)


def offset_error() -> forms.ValidationError:
    return forms.ValidationError(
        _("That UTC offset does not exist anywhere; offsets go from −12:00 to +14:00."), code="offset"
    )


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time in the person's zone.

    On the night the clocks go back, 03:30 happens twice; Django refuses such a time, but a
    night cramp is often logged right then, so the first of the two is taken. A time skipped
    when the clocks go forward is explained rather than refused with a technical message.
    """

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            naive = value
        else:
            try:
                naive = parse_datetime(str(value).strip())
            except ValueError:
                naive = None
            if naive is None:
                naive = BaseTemporalField.to_python(self, value)
        if timezone.is_aware(naive):
            if abs(naive.utcoffset()) > MAX_UTC_OFFSET:
                raise offset_error()
            aware, zone = naive, naive.tzinfo
        else:
            zone = timezone.get_current_timezone()
            aware = naive.replace(tzinfo=zone)  # fold=0: the first of a repeated hour
        try:
            round_trip = aware.astimezone(UTC).astimezone(zone)
        except OverflowError:
            # 0001-01-01T00:00 east of UTC is before year 1 in UTC (9999-12-31 west: after 9999).
            raise forms.ValidationError(_("Check the year."), code="year") from None
        if round_trip.replace(tzinfo=None) != naive.replace(tzinfo=None):
            raise forms.ValidationError(
                _("This time did not exist here: the clocks went forward that night. Choose a time an hour later."),
                code="imaginary",
            )
        return aware


class ChipSelect(forms.RadioSelect):
    """Radio buttons drawn as large tappable buttons (plain radios without CSS)."""

    template_name = "widgets/chips.html"
    option_template_name = "widgets/chip_option.html"


class ChipSelectMultiple(forms.CheckboxSelectMultiple):
    template_name = "widgets/chips.html"
    option_template_name = "widgets/chip_option.html"


def timezone_choices():
    return [(name, name.replace("_", " ")) for name in timezone_names()]


class SignupExtraForm(forms.Form):
    """Extra sign-up field: the browser's time zone, filled in by static/js/app.js."""

    timezone = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-browser-timezone": "1"}))

    def signup(self, request, user) -> None:
        from django.contrib import messages

        name = self.cleaned_data.get("timezone") or ""
        if name in timezone_names():
            services.set_timezone(user, name)
        else:
            messages.warning(
                request,
                _(
                    "Your browser did not tell us your time zone, so it is set to UTC. Please choose yours in your profile."
                ),
            )


class UniqueMultipleChoiceField(forms.MultipleChoiceField):
    """Ticked codes, each once, in the order given: a hand-made request may repeat a box, and the
    export (uniqueItems) and its import would then refuse the person's own data."""

    def clean(self, value):
        return list(dict.fromkeys(super().clean(value)))


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(label=_("Time zone"), choices=timezone_choices, validators=[validate_timezone])
    conditions = UniqueMultipleChoiceField(
        label=_("Conditions a doctor has told you about"),
        choices=v.CONDITIONS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    medications = UniqueMultipleChoiceField(
        label=_("Medicines you take"), choices=v.MEDICATIONS, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Profile
        fields = list(Profile.EDITABLE)
        widgets = {"bedtime": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
        help_texts = {
            "timezone": _("Dates and times in your diary are shown in this zone."),
            "bedtime": _("When you usually go to bed."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sex"].required = False
        # Only the time zone is needed (the page says so): flat feet left unanswered stays "unknown".
        self.fields["flat_feet"].required = False
        self.fields["birth_year"].widget.attrs.update({"inputmode": "numeric", "placeholder": "1970"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(_("Time"), "timezone", "bedtime"),
            Fieldset(_("About you"), "sex", "birth_year", "pregnant", "pregnancy_week", "flat_feet"),
            Fieldset(_("Health"), "conditions", "medications"),
        )
        self.fields["timezone"].widget.attrs["data-browser-timezone-select"] = "1"

    def clean(self):
        data = super().clean()
        if data.get("pregnancy_week") and not data.get("pregnant"):
            self.add_error("pregnancy_week", _("Tick “pregnant” as well, or leave the week empty."))
        if not data.get("pregnant"):
            data["pregnancy_week"] = None
        if not data.get("flat_feet"):
            data["flat_feet"] = "unknown"
        return data


class EpisodeForm(forms.ModelForm):
    """Log a cramp: every field has a default so that saving takes one tap."""

    started_at = LocalDateTimeField(
        label=_("When did it start?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    intensity = forms.TypedChoiceField(
        label=_("How bad (1 mild – 10 worst)?"),
        choices=[(i, str(i)) for i in range(1, 11)],
        coerce=int,
        widget=ChipSelect(attrs={"class": "chips-intensity"}),
        error_messages={"invalid_choice": _("Choose an intensity from 1 to 10.")},
    )
    duration_minutes = forms.DecimalField(
        label=_("How long (minutes)?"),
        required=False,
        min_value=Decimal("0.02"),
        max_value=Decimal(1440),
        decimal_places=2,
        help_text=_("For example 0.5 for half a minute."),
        error_messages={
            "min_value": _("Enter how many minutes it lasted, more than 0 (for example 0.5 for half a minute)."),
            "max_value": _("Enter at most 1440 minutes (a whole day)."),
        },
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    relieved_by = UniqueMultipleChoiceField(
        label=_("What helped?"), choices=v.RELIEVED_BY, required=False, widget=ChipSelectMultiple
    )

    class Meta:
        model = Episode
        fields = ["started_at", "leg", "muscle", "intensity", "context", "relieved_by", "notes"]
        labels = {"leg": _("Which leg?"), "muscle": _("Which muscle?"), "context": _("What were you doing?")}
        help_texts = {"notes": NOTES_HELP}
        error_messages = {"notes": NOTES_ERRORS}
        widgets = {
            "leg": ChipSelect,
            "muscle": ChipSelect,
            "context": ChipSelect,
            "notes": notes_widget(),
        }

    field_order = ["started_at", "leg", "muscle", "intensity", "duration_minutes", "context", "relieved_by", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Chips need no blank "---------" choice: leg and muscle always have a default.
        self.fields["leg"].choices = v.LEGS
        self.fields["muscle"].choices = v.MUSCLES
        self.fields["context"].choices = v.CONTEXTS
        self.fields["context"].required = False
        # A traveller's phone may show another clock than the profile's: say which one this is.
        self.fields["started_at"].help_text = _("Times are in your profile's time zone: %(zone)s.") % {
            "zone": timezone.get_current_timezone_name()
        }
        for field in self.fields.values():
            if not isinstance(field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
                field.widget.attrs.setdefault("class", "form-control form-control-lg")
        if self.instance.pk and self.instance.duration_seconds:
            self.initial["duration_minutes"] = round(Decimal(self.instance.duration_seconds) / 60, 2)

    def clean_started_at(self):
        started_at = self.cleaned_data["started_at"]
        if started_at > timezone.now() + CLOCK_SLACK:
            raise forms.ValidationError(_("A cramp cannot start in the future. Check the date and time."))
        if started_at.year < 1900:
            raise forms.ValidationError(_("Check the year."))
        return started_at

    def clean_duration_minutes(self):
        minutes = self.cleaned_data.get("duration_minutes")
        if minutes is None:
            return None
        return max(1, round(minutes * 60))

    def save(self, commit=True):
        episode = super().save(commit=False)
        episode.duration_seconds = self.cleaned_data.get("duration_minutes")
        if commit:
            episode.save()
        return episode


class DayLogForm(forms.ModelForm):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    exertion = forms.ChoiceField(
        label=_("Physical load today"), choices=v.EXERTION, required=False, widget=forms.RadioSelect
    )
    foods = UniqueMultipleChoiceField(
        label=_("Foods eaten"), choices=v.FOODS, required=False, widget=forms.CheckboxSelectMultiple
    )
    symptoms = UniqueMultipleChoiceField(
        label=_("Anything else you noticed"),
        choices=v.SYMPTOMS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A diary is not for emergencies: with sudden chest pain or breathlessness, call emergency services now."
        ),
    )

    class Meta:
        model = DayLog
        fields = [*DayLog.RECORDED, "notes"]
        widgets = {
            "notes": notes_widget(),
            "standing_hours": forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            "fluid_litres": forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
            "sleep_hours": forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
            "training_minutes": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "stress": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 10}),
        }
        help_texts = {"stress": _("0 = calm, 10 = the most stressed you can imagine."), "notes": NOTES_HELP}
        error_messages = {"notes": NOTES_ERRORS}

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Said before it happens: a new date moves the whole log, the routine's tick included.
            self.fields["date"].help_text = _(
                "Changing the date moves this whole day log to the new date, including the “bedtime exercises "
                "done” tick. Cramps are not moved: they stay on the night they happened."
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "date",
            Fieldset(
                _("Activity"),
                InlineRadios("exertion"),
                Div(
                    Div("training_minutes", css_class="col-6"),
                    Div("standing_hours", css_class="col-6"),
                    css_class="row",
                ),
                "footwear",
            ),
            Fieldset(
                _("Body"),
                "cold_exposure",
                "heavy_sweating",
                Div(
                    Div("fluid_litres", css_class="col-6"),
                    Div("sleep_hours", css_class="col-6"),
                    css_class="row",
                ),
                "stress",
            ),
            Fieldset(_("Food"), InlineCheckboxes("foods")),
            Fieldset(_("Evening"), "exercises_done", "massage_done"),
            Fieldset(_("Symptoms"), "symptoms"),
            "notes",
        )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > services.local_today_for(self.user):
            raise forms.ValidationError(_("A day log cannot be for a future date."))
        if day.year < 1900:
            raise forms.ValidationError(_("Check the year."))
        others = DayLog.objects.filter(user=self.user, date=day)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise services.duplicate_day_log_error()
        return day


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Diary file (JSON)"), help_text=_("A file exported from cramps."))

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        limit = settings.DIARY_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("This file is %(size)s MB; the limit is %(limit)s MB. Is it really a diary export?"),
                params={"size": round(upload.size / 1048576, 1), "limit": round(limit / 1048576, 1)},
            )
        return upload


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, request, **kwargs):
        self.user, self.request = user, request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        """The account's password, with allauth's limit on wrong guesses ("delete_account_failed"):
        someone holding a stolen session must not guess their way to erasing the account."""
        password = self.cleaned_data["password"]
        usage = ratelimit.consume(self.request, app="allauth.account", action="delete_account_failed", user=self.user)
        if not usage:
            raise forms.ValidationError(_("Too many wrong passwords. Try again in a few minutes."))
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."))
        usage.rollback()  # only wrong guesses count
        return password
