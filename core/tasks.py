"""Background work that any part of the site may ask for. Run by the worker
(`manage.py run_worker`), never inside a request.

A task that fails is recorded as failed by the queue (see the admin's task
results) and, if it has attempts left, queued again to run later; after the
last attempt the failure is logged as an error, so nothing is lost silently.

A task may also run twice: the worker running it can die before it records
the outcome, and another worker then runs it again (see core.worker). Each
task here is written to be safe to run twice: send_email records every email
it sends under its task's id and never sends the same one again."""

import datetime
import logging
import unicodedata
import uuid
from contextvars import ContextVar
from email.utils import parseaddr

from django.conf import settings
from django.db import DatabaseError
from django.dispatch import receiver
from django.tasks import Task, task
from django.tasks.signals import task_finished, task_started
from django.template import engines
from django.utils import timezone

from core import replicas
from core.mail import PlainEmail
from core.models import SentEmail

logger = logging.getLogger(__name__)

# The id of the task this thread is running, for tasks that need a key of their
# own (a task that takes Django's TaskContext must call its first argument
# `context`, which send_email's callers already use for the template's).
running_task_id: ContextVar[str | None] = ContextVar("running_task_id", default=None)


@receiver(task_started)
def remember_running_task(sender, task_result, **kwargs) -> None:
    running_task_id.set(str(task_result.id))


@receiver(task_finished)
def forget_running_task(sender, task_result, **kwargs) -> None:
    running_task_id.set(None)
    # Whatever the task wrote, replicas serve pages only once they have it (core.replicas).
    replicas.record_write()


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
    PlainEmail(
        subject=one_line(subject),
        body=body.lstrip("\n"),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        reply_to=reply_to,
        headers={name: one_line(value) for name, value in headers.items()} if headers else headers,
    ).send()


def message_id(key: str) -> str:
    """The same Message-ID for every attempt at one email, so that in the one case
    where it could go twice (the worker dies between the mail server's "accepted"
    and our record of it) the copies are recognisably the same message."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "showcase.localhost"
    return f"<{key}@{domain}>"


@task()
def send_email(
    *,
    to: list[str],
    template: str,
    context: dict,
    reply_to: list[str] | None = None,
    headers: dict[str, str] | None = None,
    attempt: int = 1,
    key: str | None = None,
) -> None:
    """Send an email once: under the key of its first attempt (that task's id),
    whichever attempt or worker runs it. Looked up before sending, recorded straight after."""
    key = key or running_task_id.get() or uuid.uuid4().hex  # the last when called outside a worker
    if SentEmail.objects.filter(key=key).exists():
        logger.info("Email %s (%s) was sent already; not sending it again", key, template)
        return
    kwargs = {"to": to, "template": template, "context": context, "reply_to": reply_to, "headers": headers}
    try:
        deliver(**{**kwargs, "headers": {"Message-ID": message_id(key), **(headers or {})}})
    except Exception as error:
        retry_later(send_email, {**kwargs, "key": key}, attempt, error)
        raise
    try:
        SentEmail.objects.get_or_create(key=key, defaults={"sent_at": timezone.now()})
    except DatabaseError:
        # Not retried: it went out, and sending it again is worse than a missing record.
        logger.error("Email %s (%s) was sent but could not be recorded as sent", key, template)
        raise
