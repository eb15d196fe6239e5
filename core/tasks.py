"""Background work that any part of the site may ask for. Run by the worker
(`manage.py db_worker`), never inside a request.

A task that fails is recorded as failed by the queue (see the admin's task
results) and, if it has attempts left, queued again to run later; after the
last attempt the failure is logged as an error, so nothing is lost silently."""

import datetime
import logging
import unicodedata

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import Task, task
from django.template import engines
from django.utils import timezone

logger = logging.getLogger(__name__)


def retry_later(task_: Task, kwargs: dict, attempt: int, error: BaseException) -> None:
    """Queue the task again after a delay if it has attempts left. The caller then
    re-raises, so that this attempt is recorded as failed."""
    delays = settings.TASK_RETRY_DELAYS
    if attempt <= len(delays):
        delay = delays[attempt - 1]
        again = task_
        if delay and task_.get_backend().supports_defer:
            again = task_.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
        again.enqueue(**kwargs, attempt=attempt + 1)
        logger.warning("%s failed (attempt %s: %s); trying again in %ss", task_.name, attempt, error, delay)
    else:
        logger.error("%s failed %s times and will not be tried again: %s", task_.name, attempt, error)


def one_line(text: str) -> str:
    """Text fit for a header: every line break (\\r, \\v, \\f, U+2028 and the
    rest that the mail library refuses) and every other control character
    becomes a space. Forms refuse these in what people type; this is for
    whatever reaches a subject some other way, so that an email is never lost
    to a ValueError on its last attempt."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in text).split())


def deliver(
    *,
    to: list[str],
    template: str,
    context: dict,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Render templates/emails/<template>.txt (first line: subject) and send it now."""
    text = engines["emails"].get_template(f"{template}.txt").render(context)
    subject, _, body = text.partition("\n")
    EmailMessage(
        subject=one_line(subject),
        body=body.lstrip("\n"),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
        headers={name: one_line(value) for name, value in headers.items()} if headers else headers,
    ).send()


@task()
def send_email(
    *,
    to: list[str],
    template: str,
    context: dict,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    attempt: int = 1,
) -> None:
    kwargs = {"to": to, "template": template, "context": context, "reply_to": reply_to, "headers": headers}
    try:
        deliver(**kwargs)
    except Exception as error:
        retry_later(send_email, kwargs, attempt, error)
        raise
