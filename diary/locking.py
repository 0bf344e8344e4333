"""One lock per person for the writes that touch several of their rows at once."""

from django.contrib.auth import get_user_model


def lock_person(user_id: int) -> None:
    """Hold the account's row until the end of the transaction (NO KEY UPDATE: the diary's inserts
    that refer to the account are not held up).

    Whoever writes several of a person's rows in one transaction takes this first, so all take
    their locks in the same order and cannot deadlock: the next reminder's refresh
    (prevention.plan.due), an unsubscribe, a schedule or profile saved in a transaction (the admin),
    an import, an account's deletion.
    """
    list(get_user_model().objects.select_for_update(no_key=True).filter(pk=user_id).values_list("pk", flat=True))
