"""Contacting the team behind a case study, without anyone seeing their address.

The message is stored, then relayed by the worker: to the case study's contact
(replies go straight to the sender), or to the curators to forward when there
is no contact or mail to the contact bounces. Nothing is dropped."""

import datetime
import smtplib

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy
from casestudies.validators import NoControlCharacters
from core.clients import person_email
from core.limits import Limit
from core.tasks import deliver, retry_later, send_email
from core.tokens import SignedLink
from councils.models import Council
from peers.models import CONTENT_RETENTION_DAYS, BouncedAddress, ContactRequest, Purpose, Route

# Per person: every account whose address reaches one mailbox (see same_person).
MESSAGES_PER_DAY = 5
MESSAGES_PER_STUDY_PER_DAY = 1
# Per client (core.clients.client_address), whoever is signed in there, so that one
# connection cannot relay for account after account.
MESSAGES_PER_CLIENT = Limit("contact-client", count=20, seconds=60 * 60 * 24)
FOLLOW_UP_AFTER = datetime.timedelta(days=7)
REPLY_LINK_DAYS = 60
REPLY_LINK = SignedLink("peers.got-reply", datetime.timedelta(days=REPLY_LINK_DAYS))


class Refused(Exception):
    """The message was not accepted; the text says why, to the sender."""


class ContactForm(forms.Form):
    purpose = forms.ChoiceField(
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        label="What would you like?",
        error_messages={"required": "Choose what you would like from the team"},
    )
    subject = forms.CharField(
        min_length=5,
        max_length=150,
        label="Subject",
        # It becomes the email's subject line: one line, nothing invisible.
        validators=[NoControlCharacters("Subject")],
        error_messages={
            "required": "Enter a subject",
            "min_length": "The subject must be at least 5 characters",
            "max_length": "The subject must be 150 characters or fewer",
        },
    )
    message = forms.CharField(
        min_length=20,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Your message",
        validators=[NoControlCharacters("Your message", multiline=True)],
        help_text="Say who you are, what you are planning and what would help. At most 5,000 characters.",
        error_messages={
            "required": "Enter your message",
            "min_length": "Your message must be at least 20 characters",
            "max_length": "Your message must be 5,000 characters or fewer",
        },
    )
    sender_name = forms.CharField(
        max_length=150,
        label="Your name",
        validators=[NoControlCharacters("Your name")],
        error_messages={"required": "Enter your name"},
    )
    sender_role = forms.CharField(
        max_length=150,
        label="Your role",
        validators=[NoControlCharacters("Your role")],
        help_text="For example, Head of Revenues and Benefits.",
        error_messages={"required": "Enter your role"},
    )
    sender_council = forms.ModelChoiceField(
        queryset=Council.objects.none(),
        label="Your council",
        empty_label=None,
        error_messages={"required": "Choose your council", "invalid_choice": "Choose one of your councils"},
    )
    # People never see or fill this; robots that fill every field do.
    website = forms.CharField(required=False, label="Leave this empty")

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender_council"].queryset = Council.objects.of_officer(user).order_by("name")


def recipient_description(study: CaseStudy) -> str:
    """Who the sender is told their message went to: a role and a council, never an address."""
    lead = study.lead_council
    role = study.contact_role or "team"
    return f"the {role} at {lead.name}" if lead else f"the {role}"


def _route(study: CaseStudy) -> tuple[str, str]:
    if not study.contact_email:
        return Route.CURATORS, "The case study has no contact."
    if BouncedAddress.objects.filter(email__iexact=study.contact_email).exists():
        return Route.CURATORS, "Email to the contact has bounced before."
    return Route.TEAM, ""


def same_person(user: User) -> QuerySet[User]:
    """The account and every other whose address reaches the same mailbox: al@, AL@ and
    al+anything@ a council are one person (core.clients.person_email)."""
    accounts = Q(pk=user.pk)
    if "@" in user.email:
        local, _, domain = person_email(user.email).rpartition("@")
        accounts |= Q(email__iexact=f"{local}@{domain}")
        accounts |= Q(email__istartswith=f"{local}+", email__iendswith=f"@{domain}")
    return User.objects.filter(accounts)


def _refuse_over_limits(study: CaseStudy, senders: list[int], client: str | None) -> None:
    since = timezone.now() - datetime.timedelta(days=1)
    recent = ContactRequest.objects.filter(sender__in=senders, created_at__gte=since)
    if recent.filter(case_study=study).count() >= MESSAGES_PER_STUDY_PER_DAY:
        raise Refused(
            "You have already sent a message about this case study today. Wait for a reply, or send "
            "another tomorrow."
        )
    if recent.count() >= MESSAGES_PER_DAY:
        raise Refused(
            f"You can send at most {MESSAGES_PER_DAY} messages a day, and you have reached that. "
            "Try again tomorrow."
        )
    if MESSAGES_PER_CLIENT.reached(client or ""):
        raise Refused(
            f"At most {MESSAGES_PER_CLIENT.count} messages a day can be sent from one connection, and "
            "that many have been sent from yours today. Try again tomorrow."
        )


def contact_send(*, study: CaseStudy, user: User, cleaned: dict, client: str | None = None) -> ContactRequest:
    """Store a message and queue it for relay, or refuse it with the reason."""
    if cleaned.get("website"):
        raise Refused(
            "Your message looks automated, so it was not sent. If you are a person, leave the "
            "last field empty and send it again."
        )
    with transaction.atomic():
        # One person's requests are counted one at a time, whichever of their accounts sends them.
        senders = [account.pk for account in same_person(user).select_for_update().order_by("pk")]
        _refuse_over_limits(study, senders, client)
        MESSAGES_PER_CLIENT.record(client or "")
        route, reason = _route(study)
        request = ContactRequest.objects.create(
            case_study=study,
            sender=user,
            sender_name=cleaned["sender_name"],
            sender_role=cleaned["sender_role"],
            sender_council=cleaned["sender_council"],
            purpose=cleaned["purpose"],
            subject=cleaned["subject"],
            message=cleaned["message"],
            route=route,
            route_reason=reason,
        )
        # The task carries only the id, so that deleting the contents leaves no copy behind.
        relay_contact.enqueue(request_id=request.pk)
    return request


def _context(request: ContactRequest) -> dict:
    study = request.case_study
    return {
        "title": study.title,
        "page": settings.SITE_URL + study.get_absolute_url(),
        "sender_name": request.sender_name,
        "sender_role": request.sender_role,
        "sender_council": request.sender_council.name if request.sender_council else "",
        "purpose": request.get_purpose_display(),
        "subject": request.subject,
        "message": request.message,
        "reason": request.route_reason,
        "contact_role": study.contact_role,
        "lead": study.lead_council.name if study.lead_council else "",
    }


@task()
def relay_contact(*, request_id: int, attempt: int = 1) -> None:
    """Send a stored message on, once. Reply-To is the sender, so the team answers them directly."""
    try:
        _relay(request_id)
    except Exception as error:
        retry_later(relay_contact, {"request_id": request_id}, attempt, error)
        raise


def _relay(request_id: int) -> None:
    request = (
        ContactRequest.objects.select_related("case_study", "sender", "sender_council")
        .filter(pk=request_id)
        .first()
    )
    if request is None or request.relayed_at or request.contents_deleted_at:
        return
    reply_to = [request.sender.email] if request.sender and request.sender.email else None
    if request.route == Route.TEAM:
        try:
            deliver(
                to=[request.case_study.contact_email],
                template="contact_relay",
                context=_context(request),
                reply_to=reply_to,
            )
        except smtplib.SMTPRecipientsRefused as error:
            record_bounce(request.case_study.contact_email, detail=str(error)[:300], forward=False)
            request.route, request.route_reason = Route.CURATORS, "The contact's address refused the email."
    if request.route == Route.CURATORS:
        deliver(
            to=[settings.CURATORS_EMAIL],
            template="contact_forward",
            context=_context(request),
            reply_to=reply_to,
        )
    request.relayed_at = timezone.now()
    request.save(update_fields=["route", "route_reason", "relayed_at"])


def record_bounce(email: str, *, detail: str = "", forward: bool = True) -> int:
    """Remember that mail to an address bounced, and send recent messages for it to
    the curators instead. Returns how many messages were re-routed."""
    BouncedAddress.objects.get_or_create(email=email.strip().lower(), defaults={"detail": detail})
    if not forward:
        return 0
    since = timezone.now() - datetime.timedelta(days=30)
    waiting = ContactRequest.objects.filter(
        case_study__contact_email__iexact=email.strip(),
        route=Route.TEAM,
        created_at__gte=since,
        contents_deleted_at__isnull=True,
    ).exclude(got_reply=True)
    count = 0
    for request in waiting:
        with transaction.atomic():
            request.route, request.route_reason = Route.CURATORS, "Email to the contact bounced."
            request.relayed_at = None
            request.save(update_fields=["route", "route_reason", "relayed_at"])
            relay_contact.enqueue(request_id=request.pk)
        count += 1
    return count


# Did peer contact work? Asked once, a week later.


def reply_token(request: ContactRequest) -> str:
    return REPLY_LINK.make(contact=request.pk)


def request_for_reply_token(token: str) -> ContactRequest | None:
    data = REPLY_LINK.read(token)
    if data is None:
        return None
    return ContactRequest.objects.select_related("case_study").filter(pk=data.get("contact")).first()


def record_answer(request: ContactRequest, got_reply: bool) -> None:
    request.got_reply = got_reply
    request.answered_at = timezone.now()
    request.save(update_fields=["got_reply", "answered_at"])


def send_follow_ups(now: datetime.datetime | None = None) -> int:
    """Ask each sender, seven days on, whether the team replied. Once per message."""
    now = now or timezone.now()
    due = ContactRequest.objects.filter(
        created_at__lte=now - FOLLOW_UP_AFTER,
        follow_up_sent_at__isnull=True,
        got_reply__isnull=True,
        sender__isnull=False,
    ).select_related("case_study", "sender")
    count = 0
    for request in due:
        with transaction.atomic():
            # Claim it first, so that two schedulers running at once send it once.
            claimed = ContactRequest.objects.filter(pk=request.pk, follow_up_sent_at__isnull=True).update(
                follow_up_sent_at=now
            )
            if not claimed:
                continue
            url = settings.SITE_URL + reverse("peers:got-reply", args=[reply_token(request)])
            send_email.enqueue(
                to=[request.sender.email],
                template="contact_follow_up",
                context={
                    "title": request.case_study.title,
                    "to": recipient_description(request.case_study),
                    "sent": request.created_at.strftime("%-d %B %Y"),
                    "yes": url + "?answer=yes",
                    "no": url + "?answer=no",
                },
            )
        count += 1
    return count


def delete_old_contents(now: datetime.datetime | None = None) -> int:
    """Delete what messages said after CONTENT_RETENTION_DAYS; the counts stay."""
    now = now or timezone.now()
    return ContactRequest.objects.filter(
        created_at__lte=now - datetime.timedelta(days=CONTENT_RETENTION_DAYS),
        contents_deleted_at__isnull=True,
    ).update(subject="", message="", contents_deleted_at=now)


def contact_counts(studies=None):
    """Per case study: messages sent, replies reported, no-replies reported."""
    queryset = studies if studies is not None else CaseStudy.objects.all()
    return (
        queryset.annotate(
            requests=Count("contact_requests"),
            answered=Count("contact_requests", filter=Q(contact_requests__got_reply=True)),
            unanswered=Count("contact_requests", filter=Q(contact_requests__got_reply=False)),
        )
        .filter(requests__gt=0)
        .order_by("-requests", "title")
    )
