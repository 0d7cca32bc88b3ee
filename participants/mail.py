"""The mail backend when no EMAIL_HOST is set in production: nothing sent, nothing leaked."""

import logging
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

logger = logging.getLogger("comhla.mail")


class NotSentEmailBackend(BaseEmailBackend):
    """Drops every message with a warning naming no recipient and holding no content.

    A sign-in code written to a log would let anyone who reads the log sign in.
    """

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Send nothing; say so."""
        count = len(list(email_messages))
        if count:
            logger.warning("%d email(s) not sent: set EMAIL_HOST to send sign-in codes", count)
        return 0
