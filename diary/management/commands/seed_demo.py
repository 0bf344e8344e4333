"""manage.py seed_demo: create, or reset, the demo account with four weeks of diary.

Running it again deletes the demo person's diary and writes it afresh, so there is
always exactly one demo account with the same amount of data (for a given date).

The account has a published password: with DEBUG off (production) the command refuses to run
unless given --force, so that no site ends up with a public login by accident.
"""

from datetime import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse

from diary.demo import DEMO_DAYS, DEMO_SEED, DEMO_ZONE, demo_diary, save_diary
from diary.middleware import profile_of
from diary.models import DayLog, Episode, local_today

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "cramps-demo-2026"


class Command(BaseCommand):
    help = "Create or reset the demo account (demo@example.com) with four weeks of diary ending yesterday."

    def add_arguments(self, parser):
        parser.add_argument("--email", default=DEMO_EMAIL, help=f"the account's e-mail (default {DEMO_EMAIL})")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="the account's password")
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help="random seed of the diary")
        parser.add_argument("--force", action="store_true", help="run even with DEBUG off (creates a public login)")

    def handle(self, *args, email, password, seed, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates an account with a published password. DEBUG is off (production?): "
                "refusing. Run it on a development or trial site, or add --force if you mean it."
            )
        email = email.strip().lower()
        with transaction.atomic():
            user, created = self._account(email, password)
            profile = profile_of(user)
            profile.timezone = DEMO_ZONE
            profile.bedtime = time(22, 30)
            profile.sex = "female"
            profile.birth_year = 1968
            profile.pregnant = False
            profile.pregnancy_week = None
            profile.flat_feet = "unknown"
            profile.conditions = []
            profile.medications = []
            profile.save()
            Episode.objects.filter(user=user).delete()
            DayLog.objects.filter(user=user).delete()
            episodes, day_logs = demo_diary(local_today(profile.zone), seed=seed, days=DEMO_DAYS, zone=profile.zone)
            save_diary(user, episodes, day_logs, profile.zone)

        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Reset'} the demo account: {len(day_logs)} day logs and "
                f"{len(episodes)} cramps over the last {DEMO_DAYS} days ({DEMO_ZONE})."
            )
        )
        self.stdout.write(f"  E-mail:   {email}")
        self.stdout.write(f"  Password: {password}")
        self.stdout.write(
            f"  Log in at {settings.SITE_URL}{reverse('account_login')} "
            f"(with `make run`, or `manage.py runserver`), then open {reverse('diary:timeline')}."
        )

    def _account(self, email: str, password: str):
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).order_by("pk").first()
        if user is None:
            user = User.objects.filter(username__iexact=email).order_by("pk").first()
        created = user is None
        if created:
            user = User(username=email, email=email)
        user.email = email
        user.is_active = True
        user.set_password(password)
        user.save()
        self._verified_address(user, email)
        return user, created

    @staticmethod
    def _verified_address(user, email: str) -> None:
        """allauth's record of the address: verified and primary, so no confirmation e-mail is needed."""
        from allauth.account.models import EmailAddress

        EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
        address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
        if address is None:
            address = EmailAddress(user=user, email=email)
        address.verified = True
        address.primary = True
        address.save()
