"""Every page a person can open, for the checks that walk them all (accessibility, the floating button)."""

from datetime import time, timedelta

from diary.demo import demo_diary, save_diary

from .conftest import create_account, local_now

# Pages anyone can open, signed out.
PUBLIC = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/causes/how-it-works/"]

# Pages of a signed-in person. "{day}" is a diary day with entries.
SIGNED_IN = [
    "/",
    "/diary/",
    "/diary/calendar/",
    "/diary/{day}/",
    "/diary/cramp/new/",
    "/diary/day/",
    "/diary/day/{day}/",
    "/causes/",
    "/causes/how-it-works/",
    "/causes/history/",
    "/plan/",
    "/plan/tonight/",
    "/plan/schedule/",
    "/plan/history/",
    "/plan/calendar/",
    "/plan/print/",
    "/insights/",
    "/report/",
    "/profile/",
    "/account/",
    "/account/delete/",
    "/diary/export/",
    "/diary/import/",
    "/accounts/email/",
    "/accounts/password/change/",
]

# The longest pages that carry the floating "Log a cramp" button.
LONGEST = ["/", "/diary/", "/causes/", "/causes/how-it-works/", "/plan/", "/plan/tonight/", "/insights/", "/profile/"]


def seeded_account(email: str = "person@example.com"):
    """An account with the demo's four weeks of cramps and day logs, a bedtime and some conditions."""
    user = create_account(email)
    profile = user.profile
    profile.bedtime = time(22, 30)
    profile.sex = "female"
    profile.birth_year = 1961
    profile.conditions = ["varicose_veins", "diabetes"]
    profile.save()
    episodes, day_logs = demo_diary(local_now().date())
    save_diary(user, episodes, day_logs)
    return user


def a_day_with_entries(user) -> str:
    from diary.models import DayLog

    return (
        DayLog.objects.filter(user=user, date__lt=local_now().date() - timedelta(days=1))
        .latest("date")
        .date.isoformat()
    )
