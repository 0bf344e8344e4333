"""What the diary's pages show from prevention, without the diary importing prevention."""

from django import template

from prevention.schedule import Adherence
from prevention.services import open_alarms, routine_adherence

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
