# Ukrainian as this app writes it; what is not set here comes from Django's own uk formats
# (decimal comma, non-breaking-space thousands, 24-hour "H:i", weeks from Monday).
from django.utils.translation import gettext_noop

# Dates in a sentence: the genitive month ("1 грудня 2026", Django's "E"), no "р." abbreviation.
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
MONTH_DAY_FORMAT = "j E"
FIRST_DAY_OF_WEEK = 1

# Weekday names are common nouns in Ukrainian and written lower-case, even at the start of a
# date ("вівторок, 1 грудня 2026"); Django's uk catalogue capitalises them. Listing the msgids
# here keeps them in locale/uk/LC_MESSAGES/django.po (makemessages finds them), where the
# project's lower-case translation takes precedence over Django's for the "l" date format.
# tests/test_translations.py checks the rendered dates.
WEEKDAY_NAMES = (
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
)
