from django import forms, template
from django.utils.translation import gettext as _

from diary import vocabulary as v

register = template.Library()


def _labels(choices, codes) -> str:
    return ", ".join(v.label(choices, code) for code in codes or [])


@register.filter
def food_labels(codes) -> str:
    return _labels(v.FOODS, codes)


@register.filter
def symptom_labels(codes) -> str:
    return _labels(v.SYMPTOMS, codes)


@register.filter
def relief_labels(codes) -> str:
    return _labels(v.RELIEVED_BY, codes)


@register.filter
def duration(seconds) -> str:
    """90 → '1 min 30 s'; 45 → '45 s'."""
    if not seconds:
        return ""
    minutes, rest = divmod(int(seconds), 60)
    if not minutes:
        return _("%(s)s s") % {"s": rest}
    if not rest:
        return _("%(m)s min") % {"m": minutes}
    return _("%(m)s min %(s)s s") % {"m": minutes, "s": rest}


@register.filter
def is_choice_group(bound_field) -> bool:
    return isinstance(bound_field.field.widget, (forms.RadioSelect, forms.CheckboxSelectMultiple))
