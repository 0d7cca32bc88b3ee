"""The test run's settings: production's, with a key of its own and plain HTTP.

Set in the environment too, so the servers the tests start (browser tests, fault suite)
inherit them.
"""

import os

os.environ.setdefault("SECRET_KEY", "comhla-test-run-only-" + "t" * 40)
os.environ.setdefault("COMHLA_HTTPS", "0")

from project.settings import *  # noqa: F403
