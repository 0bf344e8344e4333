"""allauth's words as this site says them in Ukrainian.

Django takes a word from the first catalogue that has it: the project's own (LOCALE_PATHS), then
the apps' in INSTALLED_APPS order. django.contrib.auth comes before allauth and keeps "Email" in
English in its Ukrainian catalogue, so the sign-in form said "Email"; and allauth's Ukrainian
capitalises every word as English titles do ("Запам'ятати Мене"); a few of their sentences have
mistakes ("Тоді будь ласка, увійти", "не може складається"). Naming the words here puts them
in locale/uk/LC_MESSAGES/django.po (makemessages reads this file), where they are translated in
sentence case. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

WORDS = [
    gettext_noop("Email"),
    gettext_noop("Remember Me"),
    gettext_noop("Current Password"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("Account Inactive"),
    gettext_noop("Confirm Access"),
    gettext_noop("Enter Sign-In Code"),
    gettext_noop("Password Reset"),
    gettext_noop("Make Primary"),
    gettext_noop("Re-send Verification"),
    gettext_noop("Add Email Address"),
    gettext_noop("Add Email"),
    gettext_noop("Account Already Exists"),
    gettext_noop("Email Changed"),
    gettext_noop("Email Confirmation"),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop("Email Removed"),
    gettext_noop("Sign-In Code"),
    gettext_noop("Password Changed"),
    gettext_noop("Password Reset Email"),
    gettext_noop("Password Set"),
    gettext_noop("Unknown Account"),
    gettext_noop("Email Address"),
    gettext_noop("Cancel Change"),
    gettext_noop("Change Email"),
    gettext_noop("Confirm Email Address"),
    gettext_noop("Change Password"),
    gettext_noop("Reset My Password"),
    gettext_noop("Bad Token"),
    gettext_noop("Set Password"),
    gettext_noop("Request Code"),
    gettext_noop("Sign Up Closed"),
    gettext_noop("Verify Your Email Address"),
    gettext_noop("New Recovery Codes Generated"),
    gettext_noop("Authenticator App Activated"),
    gettext_noop("Authenticator App Deactivated"),
    gettext_noop("Authenticator App"),
    gettext_noop("Recovery Codes"),
    gettext_noop("Activate Authenticator App"),
    gettext_noop("Deactivate Authenticator App"),
    gettext_noop("IP Address"),
    gettext_noop("Sign Out Other Sessions"),
    gettext_noop("User Sessions"),
    # and a few whose Ukrainian (allauth's, Django's) has mistakes in it
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user %(user_display)s.'
    ),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize the signup process. "
        "If you do not see the verification email in your main inbox, check your spam folder. Please contact us if "
        "you do not receive the verification email within a few minutes."
    ),
]
