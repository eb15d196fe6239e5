"""What other parts of the site may want to hear about councils."""

from django.dispatch import Signal

# Sent after a council's names or aliases were saved (sender="councils",
# council=<the council>): case studies are found by their councils' names.
names_changed = Signal()

# Sent after a postcode directory was loaded (sender="councils", count=<postcodes
# loaded>): the council directory shows its postcode box only when there are some.
postcodes_loaded = Signal()
