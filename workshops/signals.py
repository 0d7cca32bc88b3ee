"""What other apps may hear from workshops without workshops importing them."""

from django.dispatch import Signal

# Sent inside the transaction that ends a session, before anyone is checked out, so a
# receiver still sees who was present (the floor keeps its equal-voice summary).
# Keyword argument: session.
session_ending = Signal()
