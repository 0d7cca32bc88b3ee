"""How allauth behaves for Comhla."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings


class AccountAdapter(DefaultAccountAdapter):
    """Sign-up is closed unless COMHLA_OPEN_SIGNUP opens it: staff come by invitation."""

    def is_open_for_signup(self, request: Any) -> bool:
        """Only when the operator has opened it."""
        return bool(settings.COMHLA_OPEN_SIGNUP)
