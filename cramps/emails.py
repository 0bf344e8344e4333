"""Every e-mail the app sends goes through here: subject, plain text and HTML from templates.

templates/emails/<name>-subject.txt, <name>-body.txt and <name>-body.html, rendered with the
same context, in the reader's language (the site's when not given). `render_email` and
`compose_email` are the two halves of `send_email`, for a sender that renders what many e-mails
share once (the reminders, prevention/reminders/delivery.py).
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def render_email(name: str, context: dict, language: str | None = None) -> tuple[str, str, str]:
    """(subject, text, html) of templates/emails/<name>-*, in `language` (the site's when not given)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    return subject, text, html


def compose_email(
    to: str, subject: str, text: str, html: str, *, language: str, headers: dict | None = None, connection=None
) -> EmailMultiAlternatives:
    """The e-mail, text with its HTML alternative, saying which language it is in."""
    headers = {"Content-Language": language, **(headers or {})}
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers, connection=connection)
    message.attach_alternative(html, "text/html")
    return message


def send_email(
    to: str, name: str, context: dict, headers: dict | None = None, connection=None, language: str | None = None
) -> None:
    language = language or settings.LANGUAGE_CODE
    subject, text, html = render_email(name, context, language)
    compose_email(to, subject, text, html, language=language, headers=headers, connection=connection).send()


class NotConfiguredBackend(BaseEmailBackend):
    """The e-mail backend of a production setup with no EMAIL_HOST (nor EMAIL_BACKEND): nothing is
    sent and nothing of the e-mail is written anywhere (printing it, as the development default
    does, would put addresses, sign-in links and health warnings in the logs); each e-mail not
    sent is one error line saying what to set."""

    def send_messages(self, email_messages) -> int:
        logger.error(
            "%d e-mail(s) not sent: set EMAIL_HOST (or EMAIL_BACKEND) in production", len(list(email_messages))
        )
        return 0
