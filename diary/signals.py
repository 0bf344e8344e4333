from django.conf import settings
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from .erasure import forget_kept_pages
from .models import Profile


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created, raw=False, **kwargs):
    # Every account has a profile, so views never need to ask whether one exists.
    if created and not raw:
        Profile.objects.get_or_create(user=instance)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL)
def forget_the_diary_pages(sender, instance, **kwargs):
    # A user deleted another way than by erasing the account (the admin, a shell) leaves no
    # rendered diary in the cache either (diary/cards.py).
    forget_kept_pages(instance)
