"""What search tells the rooms above it."""

from django.dispatch import Signal

# Sent inside the indexing transaction once search documents were rebuilt
# (sender="search", ids=<the case studies' primary keys>, or None for all of them).
indexed = Signal()
