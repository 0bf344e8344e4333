"""allauth adjustments: sign-in limits per account and address, a safe client address, and
no unverified address becoming a primary one."""

from __future__ import annotations

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.views import EmailView
from allauth.core.internal import ratelimit
from allauth.core.internal.ratelimit import get_ip
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .tokens import decrypt_secret, encrypt_secret

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Point the owner to the way in that guessing does not block.
        "too_many_login_attempts": gettext_lazy(
            "Too many failed sign-in attempts. Try again later, or sign in with a code sent to your e-mail."
        ),
    }

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """The account *and* the address: five wrong guesses from one address do not lock the
        owner out of their own account everywhere else ("5/5m/key" of login_failed)."""
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"

    def pre_authenticate(self, request, **credentials) -> None:
        # Guessing at one account from many addresses is still bounded, more loosely; its owner
        # then signs in with a code sent by e-mail (login by code is not counted here).
        account_key = super()._get_login_attempts_cache_key(request, **credentials)
        self._account_rl_usage = ratelimit.consume(
            request, app="allauth.account", action="login_failed_account", key=account_key
        )
        if not self._account_rl_usage:
            raise self.validation_error("too_many_login_attempts")
        super().pre_authenticate(request, **credentials)

    def _rollback_login_failed_rl_usage(self) -> None:
        super()._rollback_login_failed_rl_usage()
        usage = getattr(self, "_account_rl_usage", None)
        if usage:
            usage.rollback()

    def get_client_ip(self, request) -> str:
        """The client's address; a malformed X-Forwarded-For falls back to the connecting address
        (allauth raises ImproperlyConfigured, a 500, when it has fewer entries than proxies)."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            logger.warning("X-Forwarded-For has fewer entries than TRUSTED_PROXY_COUNT; using REMOTE_ADDR")
            return request.META.get("REMOTE_ADDR") or "0.0.0.0"


class SafeEmailView(EmailView):
    """allauth's e-mail page, except that only a verified address can become the primary one.

    With enumeration prevention an account may add an address another person has verified (it
    stays unverified here); allauth would let an account with no verified address make it its
    primary address, i.e. the account's e-mail. Here that needs the address confirmed first.
    """

    def _action_primary(self, request, *args, **kwargs):
        address = self._get_email_address(request)
        if address is not None and not address.verified:
            messages.error(
                request,
                _("Confirm this address (follow the link we sent to it) before making it your primary address."),
            )
            return redirect("account_email")
        return super()._action_primary(request, *args, **kwargs)


def address_confirmed(user) -> bool:
    """E-mails about someone's health (the bedtime reminders) go only to a confirmed address: a
    mistyped one must not send a stranger someone's nightly routine."""
    return user.pk in confirmed_among([user])


def confirmed_among(users) -> set[int]:
    """`address_confirmed` for many people at once (one query): the ids of those whose address is confirmed."""
    users = list(users)
    if settings.ACCOUNT_EMAIL_VERIFICATION == "none":
        return {user.pk for user in users}  # this site does not confirm addresses at all
    email_of = {user.pk: user.email.lower() for user in users}
    verified = EmailAddress.objects.filter(user_id__in=email_of, verified=True).values_list("user_id", "email")
    return {user_id for user_id, email in verified if email.lower() == email_of[user_id]}


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator apps' keys and the recovery codes' seed are kept encrypted (allauth keeps them
    as they are): a database dump or backup, or a look at the row, does not give anyone's second factor."""

    def encrypt(self, text: str) -> str:
        return encrypt_secret(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_secret(encrypted_text)
