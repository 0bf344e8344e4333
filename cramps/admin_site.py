"""The admin behind the same sign-in as everyone, with two-factor sign-in required for staff.

Django's admin has its own login form, which allauth's rate limits never see: 60 wrong
passwords there, then the right one, worked. Here the admin's login page only sends people
on: to allauth's sign-in (throttled, two-factor), to set up an authenticator app, or to
confirm one. Admin pages need a staff account that has signed in with its second factor in
this session (allauth records that as an "mfa" authentication).
"""

from __future__ import annotations

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def passed_second_factor(request) -> bool:
    """Whether this session's sign-in included the second factor (allauth's own record)."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def admin_allowed(request) -> bool:
    user = request.user
    return bool(
        user.is_authenticated and user.is_active and user.is_staff and has_totp(user) and passed_second_factor(request)
    )


class CrampsAdminSite(admin.AdminSite):
    site_header = "cramps"

    def has_permission(self, request) -> bool:
        return admin_allowed(request)

    def login(self, request, extra_context=None):
        """Never a password form of its own: send the visitor where they can get in."""
        target = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
            target = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")
        if not (user.is_active and user.is_staff):
            raise PermissionDenied
        if not has_totp(user):
            messages.info(
                request, _("Staff must use two-factor sign-in: set up an authenticator app to enter the admin.")
            )
            return redirect(reverse("mfa_activate_totp"))
        if not passed_second_factor(request):
            return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({REDIRECT_FIELD_NAME: target})}")
        return redirect(target)
