"""Comhla settings: one module, configured from the environment.

With neither DATABASE_URL nor REDIS_URL set, Comhla runs embedded: SQLite and an in-memory
channel layer in one process. Production and CI set both (PostgreSQL + Redis).
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from project.db import check_pooled_connection

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a yes/no setting from the environment."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated setting from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Production is the default. `make run` (the embedded run) and the tests say what they relax:
# their own SECRET_KEY, COMHLA_HTTPS=0 and, for `make run`, COMHLA_CONSOLE_EMAIL=1.
DEBUG = env_bool("DEBUG", False)
# Once published in this repository: never a key, whatever the environment says.
PUBLISHED_KEY = "comhla-embedded-development-key-not-for-production-use-0123456789"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == PUBLISHED_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set (a long random value of your own; `make run` makes one)"
        )
    SECRET_KEY = secrets.token_urlsafe(50)  # DEBUG only: a new key each start
# Secure cookies, HSTS and the HTTPS redirect, unless COMHLA_HTTPS=0 (or DEBUG).
COMHLA_HTTPS = env_bool("COMHLA_HTTPS", not DEBUG) and not DEBUG
# Django's admin at /admin/, signed in to through allauth (project/admin.py): off unless 1.
COMHLA_ADMIN = env_bool("COMHLA_ADMIN", False)
# Emailed sign-in codes go to the console only when asked (the embedded run); with no
# EMAIL_HOST, production drops them with a warning that holds no code (participants.mail).
COMHLA_CONSOLE_EMAIL = env_bool("COMHLA_CONSOLE_EMAIL", DEBUG)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "project.errors.csrf_failure"

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "django_htmx",
    "allauth",
    "allauth.account",
    "participants",
    "workshops",
    "workshops.floor",
    "workshops.evaluation",
    "participants.payments",
    "boards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Chooses the language from the browser; only LANGUAGES are offered (English for now).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "participants.middleware.RoomIdentityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "participants.sessions.staff_idle_expiry",
]

ROOT_URLCONF = "project.urls"
ASGI_APPLICATION = "project.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "participants.context_processors.access_needs",
            ],
            # The page's language as the lang attribute writes it (project/i18n_tags.py).
            "libraries": {"comhla_i18n": "project.i18n_tags"},
        },
    },
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Connections come from psycopg's pool, not one per request: Django's persistent
    # connections (CONN_MAX_AGE) are per thread, and under ASGI every request runs in a thread
    # of its own, so kept connections piled up until PostgreSQL refused more (the fan-out
    # benchmark), while without them each request and each socket handshake opened its own.
    # The pool's maximum is per daphne process: keep processes × DB_POOL_MAX_SIZE under the
    # server's max_connections. A request waits DB_POOL_TIMEOUT seconds for a free connection.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        # The pool checks each connection it lends, without a round trip (project/db.py).
        "check": check_pooled_connection,
        "min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "2")),
        "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "20")),
        "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10")),
        # A connection PostgreSQL dropped, or one idle this long, is replaced quietly.
        "max_idle": 300,
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
            # A file, not memory, so browser tests' daphne process can share the test database;
            # SQLITE_TEST_PATH lets two runs on one checkout keep out of each other's way.
            "TEST": {
                "NAME": os.environ.get("SQLITE_TEST_PATH", str(BASE_DIR / ".test-db.sqlite3"))
            },
        }
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
CHANNEL_PREFIX = os.environ.get("CHANNEL_PREFIX", "comhla")
# channels-redis silently drops messages past `capacity` (default 100); a reveal of a big board
# or a busy room must never hit it.
CHANNEL_CAPACITY = 2000
# Which channels-redis layer: "pubsub" (the default: Redis pub/sub, one publish per group per
# process, handed to that process's sockets; workshops/room/layer.py adds the notice that sends
# each socket back for a fresh snapshot when the connection to Redis drops) or "core" (lists and
# sorted sets per socket, with capacity and expiry: twice the CPU per delivery).
CHANNEL_LAYER = os.environ.get("CHANNEL_LAYER", "pubsub")
if CHANNEL_LAYER not in {"core", "pubsub"}:
    raise ImproperlyConfigured('CHANNEL_LAYER must be "core" or "pubsub"')
# Django's RedisCache opened a Redis connection per request and per socket (project/cache.py).
CACHE_BACKEND = "project.cache.SharedRedisCache"
if REDIS_URL:
    # redis-py 8 times a blocking read out after 5 s, the same as channels-redis's blocking
    # pop: a quiet room would lose its consumer (redis/redis-py#4091). redis-py's async pool
    # holds at most 100 connections and then fails rather than waits: 400 phones joining at
    # once (a server restart) need more.
    REDIS_HOST = {"address": REDIS_URL, "socket_timeout": None, "max_connections": 1000}
    if CHANNEL_LAYER == "pubsub":
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "workshops.room.layer.NoticingPubSubChannelLayer",
                "CONFIG": {
                    "hosts": [REDIS_HOST],
                    "prefix": CHANNEL_PREFIX,
                    "capacity": CHANNEL_CAPACITY,
                },
            }
        }
    else:
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {
                    "hosts": [REDIS_HOST],
                    "capacity": CHANNEL_CAPACITY,
                    "expiry": 30,
                    "group_expiry": 86400,
                    "prefix": CHANNEL_PREFIX,
                },
            }
        }
    # allauth's and our own rate limits live in the cache: it must be shared by every process.
    CACHES = {
        "default": {
            "BACKEND": CACHE_BACKEND,
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CHANNEL_PREFIX,
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_CAPACITY, "expiry": 30},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "participants.User"
# Django's and allauth's, each loading the signed-in person in one hand-written query.
AUTHENTICATION_BACKENDS = [
    "participants.backends.ModelBackend",
    "participants.backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env_bool("COMHLA_TEST_FAST_HASHING", False):
    # Tests only: hash quickly. Never set in production.
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_FORMS = {"signup": "participants.forms.SignupForm"}
ACCOUNT_ADAPTER = "participants.adapters.AccountAdapter"
# Staff accounts come by invitation (an organiser adds them by email). A fresh install opens
# sign-up only if this says so; otherwise `manage.py create_organiser` makes the first one.
COMHLA_OPEN_SIGNUP = env_bool("COMHLA_OPEN_SIGNUP", False)

# Django's database sessions, loaded with one hand-written query (every request reads one).
SESSION_ENGINE = "participants.session_store"
# People joining by code keep their place on this device for a year: no passwords for them.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365
# Staff (password or emailed-code sign-ins, organisers, facilitators) are signed out after
# this long without a request (participants/sessions.py). An hour outlasts any activity a
# facilitator runs without pressing anything, and a laptop left behind in a community venue
# is signed out by the time the hall is locked.
STAFF_IDLE_MINUTES = int(os.environ.get("STAFF_IDLE_MINUTES", "60"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if COMHLA_HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # docker-compose's health check asks daphne itself, over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Written in British English; a language is added to LANGUAGES once its catalogue in
# LOCALE_PATHS is translated (README, Translating Comhla).
LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
LOCALE_PATHS = [BASE_DIR / "project" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Email (sign-in codes): SMTP when EMAIL_HOST is set; otherwise see COMHLA_CONSOLE_EMAIL.
SMTP_HOST = os.environ.get("EMAIL_HOST", "")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
            },
        }
    }
elif COMHLA_CONSOLE_EMAIL:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {"default": {"BACKEND": "participants.mail.NotSentEmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Comhla <comhla@localhost>")

# Proxies in front of daphne (project/proxies.py): how many (TRUSTED_PROXY_COUNT) and/or which
# addresses or networks (TRUSTED_PROXIES). Without either, X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
TRUSTED_PROXIES = [ipaddress.ip_network(item) for item in env_list("TRUSTED_PROXIES", "")]

# Wrong join codes allowed (counted in the shared cache; README, Security, gives the numbers):
# per address (an IPv6 /64) within JOIN_CODE_RATE_WINDOW seconds, per address within a day,
# and from all addresses together within an hour.
JOIN_CODE_RATE_LIMIT = int(os.environ.get("JOIN_CODE_RATE_LIMIT", "20"))
JOIN_CODE_RATE_WINDOW = int(os.environ.get("JOIN_CODE_RATE_WINDOW", "300"))
JOIN_CODE_DAILY_LIMIT = int(os.environ.get("JOIN_CODE_DAILY_LIMIT", "100"))
JOIN_CODE_GLOBAL_LIMIT = int(os.environ.get("JOIN_CODE_GLOBAL_LIMIT", "60"))

# Largest WebSocket frame a client may send: the socket only takes heartbeats.
WEBSOCKET_MAX_FRAME_BYTES = 16 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # channels-redis reports dropped pushes ("over capacity") at INFO: they must be seen.
    "loggers": {"comhla": {"level": "INFO"}, "channels_redis": {"level": "INFO"}},
}
