"""Every e-mail the app sends goes through here: subject, plain text and HTML from templates.

templates/emails/<name>-subject.txt, <name>-body.txt and <name>-body.html, rendered with the
same context, in the reader's language (the site's when not given).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_email(
    to: str, name: str, context: dict, headers: dict | None = None, connection=None, language: str | None = None
) -> None:
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    headers = {"Content-Language": language, **(headers or {})}
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers, connection=connection)
    message.attach_alternative(html, "text/html")
    message.send()
