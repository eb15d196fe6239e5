"""Background work that any part of the site may ask for. Run by the worker
(`manage.py db_worker`), never inside a request."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.template import engines


def deliver(
    *, to: list[str], template: str, context: dict, reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> None:  # fmt: skip
    """Render templates/emails/<template>.txt (first line: subject) and send it now."""
    text = engines["emails"].get_template(f"{template}.txt").render(context)
    subject, _, body = text.partition("\n")
    EmailMessage(
        subject=subject.strip(),
        body=body.lstrip("\n"),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
        headers=headers,
    ).send()


@task()
def send_email(
    *, to: list[str], template: str, context: dict, reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> None:  # fmt: skip
    deliver(to=to, template=template, context=context, reply_to=reply_to, headers=headers)
