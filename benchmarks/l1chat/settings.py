"""Settings for the L1 peer: the Channels tutorial chat on daphne with the Redis layer.

Standalone on purpose: it shares nothing with project/settings.py but the channel layer
configuration (same capacity as Comhla, so both are measured on equal terms).
"""

import os

SECRET_KEY = "comhla-benchmark-l1-chat-not-a-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "daphne",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "channels",
]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "l1chat.urls"
ASGI_APPLICATION = "l1chat.asgi.application"
# The tutorial's AuthMiddlewareStack needs these apps; with no session cookie it never queries.
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")],
            "capacity": 2000,
            "prefix": os.environ.get("CHANNEL_PREFIX", "benchl1"),
        },
    }
}
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
