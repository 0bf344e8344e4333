"""What the diary's pages show from prevention, without the diary importing prevention."""

from django import template

from prevention.assessment.services import open_alarms
from prevention.plan.schedule import Adherence
from prevention.plan.services import routine_adherence

register = template.Library()


@register.simple_tag
def alarms_of(user) -> list[dict]:
    """The open emergency and urgent red flags of `user` (prevention.services.open_alarms)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return open_alarms(user)


@register.simple_tag
def adherence_of(user, today) -> Adherence:
    """How the bedtime routine went up to `today` (the card on the diary home)."""
    return routine_adherence(user, today)


@register.simple_tag
def doctor_links_of(user) -> list:
    """The person's share links for a doctor (the account page lists them)."""
    from prevention.doctor.links import links_of

    if not getattr(user, "is_authenticated", False):
        return []
    return links_of(user)


@register.simple_tag
def report_periods() -> list:
    """The periods a doctor's link can show (DoctorLink.Period), for the share forms."""
    from prevention.models import DoctorLink

    return DoctorLink.Period.choices
