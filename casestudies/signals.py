"""What other parts of the site may want to hear about case studies."""

from django.dispatch import Signal

# Sent inside the publishing transaction, with sender=CaseStudy and case_study=<the study>.
published = Signal()
