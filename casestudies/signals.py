"""What other parts of the site may want to hear about case studies.

The domain sends these; the rooms that keep something derived from case
studies (search's index, peers' alerts) connect their own receivers."""

from django.dispatch import Signal

# Sent inside the publishing transaction, with sender=CaseStudy and case_study=<the study>.
published = Signal()

# Sent inside the writing transaction after the text, councils or vocabulary
# of some case studies were saved, or they became or stopped being public
# (sender="casestudies", ids=<their primary keys>).
case_studies_changed = Signal()


def announce_changes(ids) -> None:
    """Say that these case studies changed, so what is derived from them is rebuilt."""
    case_studies_changed.send(sender="casestudies", ids=list(ids))
