# SPDX-License-Identifier: AGPL-3.0-or-later
"""Settings, read from environment variables with safe local defaults.

Every variable read here is listed in README.md and set in docker-compose.yml;
tests/core/test_settings.py keeps the three in step.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from carto_concertation.core.cache_control import year_long_cache

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-only-used-when-DEBUG-is-on"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Projected SRID every geometry is stored in (Lambert-93 for metropolitan France;
# 2975 La Réunion, 5490 Antilles, 2972 Guyane, 4471 Mayotte…). 4326 at the API edge.
SRID = env.int("SRID", default=2154)

INSTALLED_APPS = [
    "carto_concertation.site.admin_site.CartoAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_ratelimit",
    "csp",
    "corsheaders",
    "allauth",
    "allauth.account",
    # Two-factor sign-in (TOTP and recovery codes): required of staff (accounts.middleware).
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "carto_concertation.core",
    "carto_concertation.accounts",
    "carto_concertation.territories",
    "carto_concertation.concertations",
    # The shared participation layer: votes, comments, reports, moderation log.
    "carto_concertation.engagement",
    "carto_concertation.contributions",
    "carto_concertation.workshops",
    "carto_concertation.signalements",
    "carto_concertation.budgets",
    "carto_concertation.surveys",
    "carto_concertation.crowdfunding",
    "layers",
    "plui_documents",
    "tiles",
    # Open data (OGC API, DCAT, the open files): reads what the backbone and modules declare.
    "carto_concertation.opendata",
    # The composition root (the home page, load_demo): last, above everything it composes.
    "carto_concertation.site",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL byte in the path or the query: a 400 naming where, before any view.
    "carto_concertation.core.middleware.nul_refused",
    # PostgreSQL restarting, Redis or the Celery broker away: a 503 in French, not a 500.
    "carto_concertation.core.outages.outages_answered",
    # Cross-origin reads of the map's public documents (CORS_URLS_REGEX below).
    "corsheaders.middleware.CorsMiddleware",
    # django-csp's, plus the basemaps' servers when an administrator turns them on.
    "carto_concertation.core.csp.SiteCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and API answers compressed (the static files come compressed already, from
    # whitenoise above): the map page is a fifth of itself on a phone network. Django's
    # gzip pads against BREACH (Heal The Breach).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # An upload that the temporary directory had no room for: a 413 naming the field
    # (core.storage.SpoolFullRefusingUploadHandler), not a 500 in CSRF's reading of it.
    "carto_concertation.core.middleware.UploadSpoolFullRefused",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The request's address and browser at hand for the staff audit journal (core.audit):
    # a contextvar, no query.
    "carto_concertation.core.audit.audit_origin_middleware",
    # A read reads each public space once, whatever asks for it (no query repeated).
    "carto_concertation.core.middleware.space_reads_shared",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff: the second factor before anything but their account pages, and the session
    # ended after STAFF_SESSION_IDLE_TIMEOUT of inactivity (no query without a session).
    "carto_concertation.accounts.middleware.StaffSessionMiddleware",
    # A new version of the privacy notice (CONSENT_VERSION): asked once, no write until
    # accepted (no query: the version is on the user row already read).
    "carto_concertation.accounts.consent.ConsentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # The media disk full: a 413 in French rather than a 500 (core.storage).
    "carto_concertation.core.middleware.MediaFullRefused",
]

# Uploads above FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) are spooled to FILE_UPLOAD_TEMP_DIR
# (the system's temporary directory by default): that disk full is a 413 naming the
# field, and the part written goes at once (core.storage).
FILE_UPLOAD_TEMP_DIR = env.str("FILE_UPLOAD_TEMP_DIR", default=None)
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "carto_concertation.core.storage.SpoolFullRefusingUploadHandler",
]

ROOT_URLCONF = "carto_concertation.urls"
WSGI_APPLICATION = "carto_concertation.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "carto_concertation" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default="postgis://carto:carto@127.0.0.1:5432/carto_concertation",
    )
}
if DATABASES["default"]["ENGINE"] != "django.contrib.gis.db.backends.postgis":
    raise ImproperlyConfigured(
        "DATABASE_URL must use the postgis:// scheme (PostgreSQL + PostGIS)."
    )
# A connection per request kills a server (45 vs 365 tiles/s measured): keep them. Under
# the ASGI server every request runs in a thread of its own, where only a pool reuses
# connections: the server sets DATABASE_POOL=1 (scripts/run.sh, docker-compose.yml).
DATABASE_POOL_SIZE = env.int("DATABASE_POOL_SIZE", default=10)
# Requests Django serves at once in a web process (carto_concertation/asgi.py); the others
# wait their turn on the event loop. As many as the pool has connections: at 200 users
# the threads outnumbered the connections and half the answers were 500s (PoolTimeout
# after 10 s; tests/bench/test_load.py, docs/operations.md). 0: no bound.
WEB_CONCURRENT_REQUESTS = env.int(
    "WEB_CONCURRENT_REQUESTS",
    default=DATABASE_POOL_SIZE if env.bool("DATABASE_POOL", default=False) else 0,
)
if env.bool("DATABASE_POOL", default=False):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": DATABASE_POOL_SIZE,
        # A safety net: with WEB_CONCURRENT_REQUESTS at the pool's size a request finds
        # a connection free; a wait here means more threads than connections.
        "timeout": env.int("DATABASE_POOL_TIMEOUT", default=30),
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# A connection PostgreSQL closed (a restart) is found and replaced before a request uses
# it, not handed to it to fail; with the pool, Django has psycopg_pool check it when
# taken (ConnectionPool.check_connection).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")

# A Redis that stops answering: reads find nothing and writes are dropped after this
# many seconds (core.cache), and a rate-limited write is refused with a 503 (core.outages).
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=2.0)
CACHES = {
    "default": {
        "BACKEND": "carto_concertation.core.cache.OutageTolerantRedisCache",
        "LOCATION": env.str("CACHE_URL", default=REDIS_URL),
        "KEY_PREFIX": "carto",
        "OPTIONS": {
            "socket_timeout": CACHE_SOCKET_TIMEOUT,
            "socket_connect_timeout": CACHE_SOCKET_TIMEOUT,
        },
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # The admin's sign-in form; residents sign in through allauth (verified e-mail only).
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "frontend" / "dist"]
# Static files as a phone on a slow network needs them (core/staticfiles.py): collected
# under names holding a hash of their content, with Brotli and gzip copies beside them,
# served by whitenoise in the encoding the browser accepts and cached for a year. On in
# production and under `make run` (scripts/run.sh); off, DEBUG serves the files of
# frontend/dist as they are, which the tests and a front-end change in progress want.
STATIC_MANIFEST = env.bool("STATIC_MANIFEST", default=not DEBUG)
STORAGES = {
    # Refuses a file whole when the disk is full (core.storage.MediaFull).
    "default": {"BACKEND": "carto_concertation.core.storage.MediaStorage"},
    "staticfiles": {
        "BACKEND": (
            "carto_concertation.core.staticfiles.HashedCompressedStorage"
            if STATIC_MANIFEST
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# With the manifest, whitenoise serves what collectstatic wrote (STATIC_ROOT), not the
# sources, and reads it once at start.
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG and not STATIC_MANIFEST
WHITENOISE_ADD_HEADERS_FUNCTION = year_long_cache
# Source maps are read by developer tools alone: compressing them (~25 MB) took most of
# collectstatic's time.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_FILE_PATH = _email.get("EMAIL_FILE_PATH") or None  # filemail:////absolute/path
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ne-pas-repondre@localhost")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Debian 12 ships GDAL 3.6, which cannot stop a crafted spatial reference from opening
# files or URLs (GDAL >= 3.9 can). Imports are for planners and administrators only and
# the server needs no outbound network: docs/security.md says how to close it.
# django-ratelimit warns (W001) about any cache it has not listed; Django's own Redis
# backend is shared and increments atomically, which is what it needs.
SILENCED_SYSTEM_CHECKS = ["gis.W001", "django_ratelimit.W001"]

# Security defaults; the cookie flags follow HTTPS, which production (DEBUG off) must use.
# The scheme and the client's address come from the ASGI server, which takes them from
# X-Forwarded-Proto and X-Forwarded-For only when the request comes from the proxy
# (uvicorn's FORWARDED_ALLOW_IPS; docker-compose.yml sets it): a client that reaches the
# application directly cannot claim HTTPS or another address. Django reads no proxy
# header itself (no SECURE_PROXY_SSL_HEADER, which would believe any client).
SECURE_HTTPS = env.bool("SECURE_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = SECURE_HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the health checks speak HTTP inside the network
SECURE_HSTS_SECONDS = 31536000 if SECURE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HTTPS
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Sign-in attempts per minute, per address and per account from one address
# (django-ratelimit and allauth on the shared Redis cache, 429 beyond). Every limit counts
# the address in RATELIMIT_IP_META_KEY (core.throttles.client_address): REMOTE_ADDR, which
# the server has already resolved from the proxy's X-Forwarded-For.
LOGIN_RATE = env.str("LOGIN_RATE", default="10/m")
RATELIMIT_VIEW = "carto_concertation.core.views.rate_limited"
RATELIMIT_IP_META_KEY = env.str("RATELIMIT_IP_META_KEY", default="REMOTE_ADDR")

# The staff audit journal (core.audit, /admin/journal/). An IP address is personal data:
# the journal's addresses and browsers are blanked after RETENTION_IP_DAYS (below; the
# CNIL advises six months for connection logs); who, when and what stay.
# An undeclared action code or a failed write raises instead of being logged (the tests).
AUDIT_STRICT = env.bool("AUDIT_STRICT", default=False)

# Accounts (django-allauth): sign-in by e-mail, which must be verified before the first
# sign-in; no username, a public pseudonym chosen at sign-up (accounts.forms).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account_home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "carto_concertation.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"signup": "carto_concertation.accounts.forms.SignupForm"}
ACCOUNT_USER_DISPLAY = "carto_concertation.accounts.adapter.user_display"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[carto-concertation] "
# allauth's limits on its own views (shared Redis cache); failed sign-ins follow LOGIN_RATE
# per address and per account from one address (accounts.adapter), as the admin's sign-in.
# Sign-ups per address (SIGNUP_RATE, allauth's "30/h" form): enough for a workshop room
# behind one address, not for a script filling the accounts table.
SIGNUP_RATE = env.str("SIGNUP_RATE", default="30/h")
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_RATE}/ip,{LOGIN_RATE}/key",
    "signup": f"{SIGNUP_RATE}/ip",
}
# Two-factor sign-in (allauth.mfa): an authenticator app (TOTP) and its recovery codes.
# Required of the staff (is_staff) and of the roles below, optional for residents (their
# account page); STAFF_SESSION_IDLE_TIMEOUT seconds without a request end a staff session.
MFA_ADAPTER = "carto_concertation.accounts.second_factor.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="carto-concertation")
# The code of the period before or after is accepted too: a phone's clock drifts (each
# code is accepted once).
MFA_TOTP_TOLERANCE = 1
MFA_REQUIRED_ROLES = env.list(
    "MFA_REQUIRED_ROLES", default=["administrator", "moderator", "planner"]
)
# The keys encrypting the authenticators' secrets in the database (accounts.secrets_at_rest,
# Fernet keys, comma-separated): the first encrypts, all decrypt (rotation:
# docs/operations.md). Empty: one key derived from SECRET_KEY, which then must not change.
MFA_ENCRYPTION_KEYS = env.list("MFA_ENCRYPTION_KEYS", default=[])
STAFF_SESSION_IDLE_TIMEOUT = env.int("STAFF_SESSION_IDLE_TIMEOUT", default=1800)
# The participation charter and privacy notice accepted at sign-up (its text is in
# accounts/templates/accounts/privacy.html): change the version with the text.
CONSENT_VERSION = "2026-12"
# Personal data over time (accounts.retention, run daily by beat), from the CNIL's
# guidance: an account whose address was never verified goes after a week; an account
# nobody signed in to for three years is warned by e-mail, then erased (staff are warned,
# never erased by the job) no sooner than the warning's delay; IP addresses (rate-limit
# keys, audit log) are kept no longer than RETENTION_IP_DAYS.
RETENTION_UNVERIFIED_DAYS = env.int("RETENTION_UNVERIFIED_DAYS", default=7)
RETENTION_INACTIVE_YEARS = env.int("RETENTION_INACTIVE_YEARS", default=3)
RETENTION_WARNING_DAYS = env.int("RETENTION_WARNING_DAYS", default=30)
RETENTION_IP_DAYS = env.int("RETENTION_IP_DAYS", default=180)
# How many accounts one run of the job takes per rule (each in its own transaction).
RETENTION_BATCH_SIZE = env.int("RETENTION_BATCH_SIZE", default=500)
# The privacy notice and the record of processing: who is responsible (the collectivité
# hosting the platform) and how to reach its data protection officer.
PRIVACY_CONTROLLER = env.str("PRIVACY_CONTROLLER", default="")
PRIVACY_DPO_EMAIL = env.str("PRIVACY_DPO_EMAIL", default="")
# Limits on the account pages (per signed-in person, or per IP address for the
# unsubscribe links): what each POST may do in an hour.
ACCOUNT_WRITE_RATE = "30/h"
DATA_EXPORT_RATE = "10/h"
# "Download my data": the archive a Celery job builds is kept this long for its owner to
# download, then swept (accounts.tasks.data_exports_sweep_task, hourly).
DATA_EXPORT_KEEP_DAYS = 7
# Where e-mails point to (unsubscribe links): the public address of the site.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The licence of what the server publishes as open data — the exports and the
# contributions tileset, the same data — named in each: Licence Ouverte 2.0 unless the
# collectivité publishes under another (the ODbL, the other licence of the French list).
OPEN_DATA_LICENCE = env.str("OPEN_DATA_LICENCE", default="Licence Ouverte / Open Licence 2.0")
# Without a trailing slash: data.gouv.fr's harvester recognises the Licence Ouverte 2.0
# by this exact URL (its licence list, docs/opendata-catalogue.md).
OPEN_DATA_LICENCE_URL = env.str(
    "OPEN_DATA_LICENCE_URL", default="https://www.etalab.gouv.fr/licence-ouverte-open-licence"
)
# The DCAT catalogue and the open files (opendata.catalogue): who publishes the catalogue
# (the site's address when empty), the address its datasets give for contact, where the
# files are written (MEDIA_ROOT/opendata when empty), from how many features a dataset
# also comes as FlatGeobuf, how often beat looks for an import to refresh the files
# after (seconds), and the hour of the nightly refresh.
OPEN_DATA_PUBLISHER = env.str("OPEN_DATA_PUBLISHER", default="")
OPEN_DATA_CONTACT_EMAIL = env.str("OPEN_DATA_CONTACT_EMAIL", default=DEFAULT_FROM_EMAIL)
OPEN_DATA_ROOT = env.str("OPEN_DATA_ROOT", default="")
OPEN_DATA_FLATGEOBUF_FROM = env.int("OPEN_DATA_FLATGEOBUF_FROM", default=10000)
OPEN_DATA_REFRESH_DELAY = env.int("OPEN_DATA_REFRESH_DELAY", default=300)
OPEN_DATA_REFRESH_HOUR = env.int("OPEN_DATA_REFRESH_HOUR", default=3)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "carto_concertation.core.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # JSON nested deeper than any body of ours is a 400, not Python's RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "carto_concertation.core.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": [
        "carto_concertation.core.throttles.AnonRateThrottle",
        "carto_concertation.core.throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_RATE_ANON", default="600/minute"),
        "user": env.str("API_RATE_USER", default="1200/minute"),
        # Reads that cost most (core/throttles.py), per person or per address.
        "heavy_read": env.str("HEAVY_READ_RATE", default="120/minute"),
        # OGC API – Features' collections and pages, per address: a GIS client (QGIS,
        # GDAL) reading a whole catalogue pages through it in a burst.
        "ogc_api": env.str("OGC_API_RATE", default="600/minute"),
        "contribution_write": env.str("CONTRIBUTION_RATE", default="30/hour"),
        "vote": env.str("VOTE_RATE", default="120/minute"),
        # Consultation: drafts saved and responses submitted (API and pages), per person
        # or address; one-time links asked for, per address.
        "survey_answer": env.str("SURVEY_ANSWER_RATE", default="300/hour"),
        "survey_link": env.str("SURVEY_LINK_RATE", default="10/hour"),
        "account": "120/hour",
        "comment": env.str("COMMENT_RATE", default="60/hour"),
        "report": env.str("REPORT_RATE", default="30/hour"),
        "moderation": env.str("MODERATION_RATE", default="600/hour"),
        # Open-data exports of a concertation (GeoJSON, CSV, GeoPackage), per client.
        "export": env.str("EXPORT_RATE", default="60/hour"),
        # Relays' writes in map workshops (captures, paper imports, printed sheets).
        "workshop": env.str("WORKSHOP_RATE", default="600/hour"),
        # Bilans de la concertation started per planner.
        "bilan": env.str("BILAN_RATE", default="10/hour"),
        # Offline packages (MBTiles of a concertation) started per planner or relay.
        "offline_package": env.str("OFFLINE_PACKAGE_RATE", default="6/hour"),
        # Signalements: follows ("me too", a bare address gets a link) and the reporter's
        # "est-ce réparé ?" answers, per person or per address.
        "signalement_follow": env.str("SIGNALEMENT_FOLLOW_RATE", default="30/hour"),
        # The services' state changes, re-routings and duplicates, per agent.
        "signalement_workflow": env.str("SIGNALEMENT_WORKFLOW_RATE", default="600/hour"),
        # Signalements filed per account, per client address (signed in or not) and per
        # e-mail address without an account (signalements/api/throttles.py).
        "signalement": env.str("SIGNALEMENT_RATE", default="20/hour"),
        "signalement_address": env.str("SIGNALEMENT_ADDRESS_RATE", default="30/hour"),
        "signalement_email": env.str("SIGNALEMENT_EMAIL_RATE", default="10/hour"),
        # Budgets: casting or changing one's ballot, per voter; paper sheets, per agent.
        "budget_ballot": env.str("BUDGET_BALLOT_RATE", default="60/hour"),
        "budget_paper": env.str("BUDGET_PAPER_RATE", default="3000/hour"),
        # Participatory budget: counts and publications of results, per agent.
        "budget_results": env.str("BUDGET_RESULTS_RATE", default="60/hour"),
        # Participatory budget: .pb imports per agent (each writes a whole edition).
        "budgets_import": env.str("BUDGETS_IMPORT_RATE", default="30/hour"),
        # Budgets: following a winner (API and page), and the services' news, per person.
        "budget_follow": env.str("BUDGET_FOLLOW_RATE", default="30/hour"),
        "budget_followup": env.str("BUDGET_FOLLOWUP_RATE", default="600/hour"),
        # Crowdfunding: following a project (API and page), and the news of the works,
        # per person.
        "crowdfunding_follow": env.str("CROWDFUNDING_FOLLOW_RATE", default="30/hour"),
        "crowdfunding_news": env.str("CROWDFUNDING_NEWS_RATE", default="120/hour"),
        # Crowdfunding: figures typed in and platform exports imported, per person.
        "crowdfunding_figures": env.str("CROWDFUNDING_FIGURES_RATE", default="120/hour"),
    },
    # Model ValidationErrors and PermissionDenied become 400/403 with their fields.
    "EXCEPTION_HANDLER": "carto_concertation.core.api.exception_handler",
}
# Map workshops: how long after the contributions phase paper maps may still be typed in,
# and the largest paper-map file accepted.
WORKSHOP_CAPTURE_GRACE_DAYS = env.int("WORKSHOP_CAPTURE_GRACE_DAYS", default=14)
WORKSHOP_IMPORT_MAX_BYTES = env.int("WORKSHOP_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
WORKSHOP_IMPORT_MAX_ROWS = env.int("WORKSHOP_IMPORT_MAX_ROWS", default=500)
# Crowdfunding: the largest platform export (CSV of contributions) and its most lines.
CROWDFUNDING_IMPORT_MAX_BYTES = env.int("CROWDFUNDING_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
CROWDFUNDING_IMPORT_MAX_LINES = env.int("CROWDFUNDING_IMPORT_MAX_LINES", default=20000)

SPECTACULAR_SETTINGS = {
    "TITLE": "carto-concertation API",
    "DESCRIPTION": "Concertation, zonage PLUi, signalements et données ouvertes.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Every operation documents the refusals any request may get (400, 403, 404, 429…).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "carto_concertation.core.openapi.error_responses",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets sharing a field name get a name of their own (no numbered enums).
    "ENUM_NAME_OVERRIDES": {
        "ContributionStatusEnum": "carto_concertation.contributions.models.Contribution.Status",
        "CommentStatusEnum": "carto_concertation.engagement.models.Comment.Status",
        "ConcertationStatusEnum": "carto_concertation.concertations.models.Concertation.Status",
        "ReportStateEnum": "carto_concertation.signalements.models.Report.State",
        "PhaseKindEnum": "carto_concertation.concertations.models.Phase.Kind",
        "FeatureKindEnum": "plui_documents.models.FeatureKind",
        # The "type" of GeoJSON objects (core/geojson.py).
        "GisFeatureEnum": ["Feature"],
        "GisFeatureCollectionEnum": ["FeatureCollection"],
    },
}

# Planners' dashboard and bilan: the public heat map shows only the cells holding at least
# HEATMAP_MIN_COUNT contributions (no single home singled out); the bilan's PDF is
# printed by headless Chromium.
HEATMAP_MIN_COUNT = env.int("HEATMAP_MIN_COUNT", default=5)
BILAN_CHROMIUM = env.str("BILAN_CHROMIUM", default="/usr/bin/chromium")
BILAN_PDF_TIMEOUT = env.int("BILAN_PDF_TIMEOUT", default=180)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["AnswerTemplateStatusEnum"] = (
    "carto_concertation.contributions.models.AnswerTemplate.Status"
)
# The kinds of a step of a report's history (the house has other "kind"s).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["ReportUpdateKindEnum"] = (
    "carto_concertation.signalements.models.ReportUpdate.Kind"
)
# The participatory budget's counting rule (an edition's, a count's).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["BudgetRuleEnum"] = (
    "carto_concertation.budgets.models.Edition.Rule"
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["BudgetPhaseKindEnum"] = (
    "carto_concertation.budgets.models.EditionPhase.Kind"
)
# Where a crowdfunding campaign's figures came from (typed in, or a platform's export).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["CrowdfundingFiguresSourceEnum"] = (
    "carto_concertation.crowdfunding.models.FundingUpdate.Source"
)
# The kinds of a questionnaire's questions.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["SurveyQuestionKindEnum"] = (
    "carto_concertation.surveys.models.Question.Kind"
)


def enum_names_of_installed_apps(overrides: dict, installed_apps: list[str]) -> dict:
    """The enum names whose choices are in an installed app (or written out here).

    drf-spectacular imports every path it is given: a participation module left out of
    INSTALLED_APPS (tests/settings_backbone.py) must not break the OpenAPI schema."""
    return {
        name: choices
        for name, choices in overrides.items()
        if not isinstance(choices, str)
        or any(choices.startswith(f"{app}.") for app in installed_apps)
    }


SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = enum_names_of_installed_apps(
    SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"], INSTALLED_APPS
)

# Celery: JSON only, bounded tasks, acknowledged after completion so a lost worker
# re-runs its task; transient errors are retried by the base task (celery.py).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=3600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=3300)
# A worker that dies mid-task (OOM killer, SIGKILL) hands its task back to the queue; a job
# taken this many times without finishing fails instead (core.jobs.JobTask).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
JOB_MAX_ATTEMPTS = env.int("JOB_MAX_ATTEMPTS", default=2)
# A job still "running" this long after it started lost its worker (beat fails it).
JOB_STALLED_AFTER = env.int("JOB_STALLED_AFTER", default=CELERY_TASK_TIME_LIMIT + 60)
# A staging table of no job (an import by a command) older than this is one whose import
# was killed: beat's sweep drops it. Longer than any import runs (layers.staging).
STAGING_TABLE_MAX_AGE = env.int("STAGING_TABLE_MAX_AGE", default=24 * 3600)
# Redis hands an unacknowledged task to another worker after this long: past the hard
# time limit, or a task still running would be started a second time.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT + 600}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 86400
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TIMEZONE = TIME_ZONE
# What beat (docker-compose.yml) starts on a schedule, in seconds.
CELERY_BEAT_SCHEDULE = {
    "expired-sessions-clear": {
        "task": "carto_concertation.core.tasks.expired_sessions_clear",
        "schedule": 24 * 3600,
    },
    # The audit journal's addresses and browsers, blanked after RETENTION_IP_DAYS.
    "audit-addresses-blank": {
        "task": "carto_concertation.core.tasks.audit_addresses_blank_task",
        "schedule": 24 * 3600,
    },
    # Jobs whose worker died (a whole worker killed) would otherwise stay "running".
    "jobs-stalled-fail": {
        "task": "carto_concertation.core.tasks.jobs_stalled_fail_task",
        "schedule": 600,
    },
    # The staging tables of imports killed mid-way: once their job no longer runs, or
    # past STAGING_TABLE_MAX_AGE outside a job.
    "staging-orphans-drop": {
        "task": "layers.tasks.staging_orphans_drop_task",
        "schedule": 3600,
    },
    # The current plan versions whose zoning has no small-scale generalisation (an
    # upgrade emptied it): a job each (plui_documents.tasks); one query when none.
    "plui-zoning-generalise": {
        "task": "plui_documents.tasks.zoning_generalise_missing_task",
        "schedule": 3600,
    },
    # Signalements: "est-ce réparé ?" to the reporters of reports fixed four weeks ago.
    "reports-fixed-check": {
        "task": "carto_concertation.signalements.tasks.report_fixed_check_task",
        "schedule": 24 * 3600,
    },
    # Budgets: once an edition's vote has ended, nothing links a ballot to its voter.
    "budget-ballots-seal": {
        "task": "carto_concertation.budgets.tasks.ballots_seal_closed_task",
        "schedule": 3600,
    },
    # Crowdfunding: campaigns open on their start date and close, funded or not, after
    # their end date (their followers hear of it).
    "crowdfunding-campaigns-advance": {
        "task": "carto_concertation.crowdfunding.tasks.campaigns_advance_task",
        "schedule": 3600,
    },
    # Open data: the files of every dataset, nightly, and after an import (a stale mark
    # looked at every OPEN_DATA_REFRESH_DELAY seconds).
    "opendata-files-nightly": {
        "task": "carto_concertation.opendata.tasks.open_files_nightly_task",
        "schedule": crontab(hour=OPEN_DATA_REFRESH_HOUR, minute=0),
    },
    # Accounts: unverified accounts removed, inactive ones warned then erased
    # (accounts.retention).
    "accounts-retention-apply": {
        "task": "carto_concertation.accounts.tasks.retention_apply_task",
        "schedule": crontab(hour=4, minute=30),
    },
    # Accounts: the archives of "download my data" past DATA_EXPORT_KEEP_DAYS.
    "accounts-data-exports-sweep": {
        "task": "carto_concertation.accounts.tasks.data_exports_sweep_task",
        "schedule": 3600,
    },
    "opendata-files-after-import": {
        "task": "carto_concertation.opendata.tasks.open_files_stale_check_task",
        "schedule": OPEN_DATA_REFRESH_DELAY,
    },
}

# Signalements: the reporter is asked "est-ce réparé ?" this long after "résolu"; the
# yes/no links work this long; a bare address's link to follow a report expires.
SIGNALEMENTS_FIXED_CHECK_DAYS = env.int("SIGNALEMENTS_FIXED_CHECK_DAYS", default=28)
SIGNALEMENTS_FIXED_ANSWER_DAYS = env.int("SIGNALEMENTS_FIXED_ANSWER_DAYS", default=90)
SIGNALEMENTS_FOLLOW_LINK_HOURS = env.int("SIGNALEMENTS_FOLLOW_LINK_HOURS", default=72)

# Map defaults used by the admin widgets before a geometry or territory is loaded.
MAP_DEFAULT_CENTER = env.list("MAP_DEFAULT_CENTER", cast=float, default=[2.9, 46.8])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Uploads and imports: a zip may expand to this much, in this many entries.
UPLOAD_MAX_UNCOMPRESSED_BYTES = env.int("UPLOAD_MAX_UNCOMPRESSED_MB", default=2048) * 1024 * 1024
UPLOAD_MAX_ARCHIVE_ENTRIES = env.int("UPLOAD_MAX_ARCHIVE_ENTRIES", default=10000)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_MB", default=512) * 1024 * 1024
# Photos of contributions: largest upload, largest decoded image (decompression bombs),
# longest side once re-encoded.
PHOTO_MAX_BYTES = env.int("PHOTO_MAX_MB", default=10) * 1024 * 1024
PHOTO_MAX_PIXELS = env.int("PHOTO_MAX_PIXELS", default=40_000_000)
PHOTO_MAX_SIDE = env.int("PHOTO_MAX_SIDE", default=1600)

# Vector tiles (MVT 2.1): extent and buffer in tile units, features per layer and tile.
TILE_EXTENT = 4096
TILE_BUFFER = env.int("TILE_BUFFER", default=64)
TILE_FEATURE_CAP = env.int("TILE_FEATURE_CAP", default=10000)
TILE_MAX_ZOOM = 22
TILE_CACHE_SECONDS = env.int("TILE_CACHE_SECONDS", default=3600)
TILE_CACHE_ENABLED = env.bool("TILE_CACHE_ENABLED", default=True)
# Any Redis; tiles are read and written there directly by the Django view and the ASGI
# endpoint alike (tiles/cache.py). rediss:// URLs take redis-py's options
# (?ssl_cert_reqs=required&ssl_ca_certs=/path/ca.pem…). A tile whose Redis has not
# answered in TILE_CACHE_TIMEOUT seconds is a 503 (the URL's socket_timeout wins).
TILE_CACHE_URL = env.str("TILE_CACHE_URL", default=REDIS_URL)
TILE_CACHE_TIMEOUT = env.float("TILE_CACHE_TIMEOUT", default=3.0)
# Each web process also keeps up to this many MB of cached tiles in memory, kept exact by
# Redis's client tracking (tiles/memory.py); 0 reads every tile from Redis.
TILE_MEMORY_MB = env.int("TILE_MEMORY_MB", default=64)
# After a plan version becomes current or a concertation opens, a job renders the map's
# tiles of zooms TILE_WARM_MIN_ZOOM–TILE_WARM_MAX_ZOOM into the cache (tiles/warming.py),
# at most TILE_WARM_MAX_TILES per job (lowest zooms first; the rest are made on request).
TILE_WARM_ENABLED = env.bool("TILE_WARM_ENABLED", default=True)
TILE_WARM_MIN_ZOOM = env.int("TILE_WARM_MIN_ZOOM", default=8)
TILE_WARM_MAX_ZOOM = env.int("TILE_WARM_MAX_ZOOM", default=13)
TILE_WARM_MAX_TILES = env.int("TILE_WARM_MAX_TILES", default=20000)
# Basemaps under the concertation maps, off by default: the maps then ask nothing of any
# other server (docs/maps.md). BASEMAPS names presets of core/basemaps.py, in the
# switcher's order: plan-ign, orthophotos, cadastre (IGN's Géoplateforme), osm
# (OpenStreetMap). BASEMAP_TILES adds a basemap of your own (an XYZ raster URL with
# {z}/{x}/{y}) with its BASEMAP_ATTRIBUTION. ADDRESS_SEARCH adds addresses, found by
# the Géoplateforme's geocoder, to the map's search box (the browser asks it).
BASEMAPS = env.list("BASEMAPS", default=[])
BASEMAP_TILES = env.str("BASEMAP_TILES", default="")
BASEMAP_ATTRIBUTION = env.str("BASEMAP_ATTRIBUTION", default="")
ADDRESS_SEARCH = env.bool("ADDRESS_SEARCH", default=False)
# Connections of each web process's tile pool (prepared statements, tiles/asgi.py).
TILE_DB_POOL_SIZE = env.int("TILE_DB_POOL_SIZE", default=4)

# Content-Security-Policy (django-csp): scripts, styles, workers, fonts, frames and data
# come from this server only, with no inline script or style on any page, so an injected
# tag runs nothing (docs/security.md). Images may be data: URIs (Swagger UI's and the
# admin's icons); the servers of the basemaps and address search an administrator turns
# on join the images and connections at each response (core/csp.py). The
# bilan, a self-contained report, is served with a sandboxing policy of its own
# (carto_concertation/core/csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        # MapLibre's worker and the workshop pages' service worker, from our origin.
        "worker-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Cross-origin reads (django-cors-headers), as FixMyStreet's API allows them: a commune's
# own website may draw our map — the tiles, their TileJSON, the styles and the public
# GeoJSON of ideas — and nothing else. GET only, without cookies.
# The tiles' paths answer GET only; the ideas' GeoJSON list shares its path with their
# creation, so it answers cross-origin GET and HEAD only (core/cors.py).
CORS_URLS_REGEX = r"^/tiles/"
CORS_READ_URLS_REGEX = r"^/api/v1/concertations/[-\w]+/contributions/$"
# Open311 GeoReport v2 (signalements): anyone reads it from a browser, as FixMyStreet's;
# the partners post from their servers, never cross-origin.
CORS_READ_URLS_REGEX += r"|^/open311/v2/"
# OGC API – Features and Tiles (opendata.ogc): public open data, GET only, read by any page.
CORS_URLS_REGEX += r"|^/ogc/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOW_CREDENTIALS = False

# Every so many seconds each web process collects the garbage its requests left and gives
# the freed memory back to the system (carto_concertation/asgi.py); 0: never.
WEB_MEMORY_RELEASE_SECONDS = env.int("WEB_MEMORY_RELEASE_SECONDS", default=10)

# Signalements (docs/signalements.md): how long the e-mail link that confirms a report
# filed without an account stays valid (seconds); how near a report of the same category
# is shown to "me too" at filing (metres); how near a street of the context layers names
# a report's address (metres), and the attributes that hold a street's name there.
SIGNALEMENTS_CONFIRMATION_MAX_AGE = env.int(
    "SIGNALEMENTS_CONFIRMATION_MAX_AGE", default=7 * 24 * 3600
)
SIGNALEMENTS_DUPLICATE_DISTANCE = env.int("SIGNALEMENTS_DUPLICATE_DISTANCE", default=50)
SIGNALEMENTS_STREET_DISTANCE = env.int("SIGNALEMENTS_STREET_DISTANCE", default=50)
SIGNALEMENTS_STREET_NAME_FIELDS = env.list(
    "SIGNALEMENTS_STREET_NAME_FIELDS",
    default=[
        "nom_voie",
        "nom_voie_g",
        "nom_voie_d",
        "nom_1_g",
        "nom_1_d",
        "nom_voie_ban_gauche",
        "nom_voie_ban_droite",
        "nom_collaboratif_gauche",
        "nom_collaboratif_droite",
        "nom_rue",
    ],
)
