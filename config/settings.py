"""Clearance settings, read from the environment.

One module for every way of running. Unset variables fall back to the embedded default (an SQLite
file, Celery tasks run in-process, e-mail to the console); a variable that is set but malformed stops
the process at start-up with a message naming it, rather than being read as some other value.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env.str(name, default=None)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_url(name: str, schemes: tuple[str, ...]) -> str | None:
    raw = env.str(name, default="").strip()
    if not raw:
        return None
    if not raw.startswith(tuple(f"{s}://" for s in schemes)):
        raise ImproperlyConfigured(f"{name} must start with one of {', '.join(s + '://' for s in schemes)}.")
    return raw


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off (comma-separated host names).")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_htmx",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "governance",
    "checklist",
    "evaluations",
    "approvals",
    "identity",
    "reports",
    "webhooks",
    "gateway",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "governance.sessions.SessionTimeoutMiddleware",
    "config.middleware.NoStoreWhenSignedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "governance.context_processors.roles",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0)
# A database that accepts connections but never answers must not hold a worker until gunicorn kills it:
# connecting gives up after DB_CONNECT_TIMEOUT seconds (libpq's minimum is 2), a statement is cancelled
# by the server after DB_STATEMENT_TIMEOUT seconds (0: no limit, e.g. for a long migration).
DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", 5, minimum=1)
DB_STATEMENT_TIMEOUT = env_int("DB_STATEMENT_TIMEOUT", 30, minimum=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("connect_timeout", DB_CONNECT_TIMEOUT)
    _options["options"] = f"-c statement_timeout={DB_STATEMENT_TIMEOUT * 1000} {_options.get('options', '')}".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a background write is in progress.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out account or address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Passwords, refused for all but break-glass accounts when CLEARANCE_LOCAL_LOGIN is off.
    "identity.backends.LocalPasswordBackend",
    # Single sign-on (does nothing unless CLEARANCE_OIDC_ISSUER is set).
    "identity.oidc.ClearanceOIDCBackend",
    "guardian.backends.ObjectPermissionBackend",
]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; outsiders are not signed in.
GUARDIAN_RAISE_403 = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in throttling (django-axes): CLEARANCE_LOGIN_FAILURE_LIMIT failed sign-ins in a row for one username,
# or from one client address, lock that username or that address (each on its own) for
# CLEARANCE_LOGIN_LOCKOUT_MINUTES, on the app's sign-in page and the admin's alike. A success resets the
# count for what it matched. A governance admin unlocks sooner by deleting the access attempt in the admin.
AXES_FAILURE_LIMIT = env_int("CLEARANCE_LOGIN_FAILURE_LIMIT", 10, minimum=1)
CLEARANCE_LOGIN_LOCKOUT_MINUTES = env_int("CLEARANCE_LOGIN_LOCKOUT_MINUTES", 30, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=CLEARANCE_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.login.lockout_response"
AXES_USERNAME_CALLABLE = "config.login.username_of"
# The client address: the direct peer (REMOTE_ADDR) unless CLEARANCE_TRUSTED_PROXIES reverse proxies stand
# in front, in which case it is the address that many hops from the right of X-Forwarded-For (the one the
# outermost trusted proxy saw). Set it only behind proxies that overwrite or append to that header.
CLEARANCE_TRUSTED_PROXIES = env_int("CLEARANCE_TRUSTED_PROXIES", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "config.login.client_ip"
AXES_VERBOSE = False  # no banner on every start of a command or worker; lockouts are still logged

# A session ends after CLEARANCE_SESSION_IDLE_MINUTES without a request, and CLEARANCE_SESSION_MAX_HOURS
# after sign-in whatever the activity (governance/sessions.py); the cookie lives no longer than that.
CLEARANCE_SESSION_IDLE_MINUTES = env_int("CLEARANCE_SESSION_IDLE_MINUTES", 30, minimum=1)
CLEARANCE_SESSION_MAX_HOURS = env_int("CLEARANCE_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = CLEARANCE_SESSION_MAX_HOURS * 3600
# Revoking an approval asks for the password again when it was last given longer ago than this.
CLEARANCE_REAUTH_MINUTES = env_int("CLEARANCE_REAUTH_MINUTES", 10, minimum=0)

# Single sign-on through an OpenID Connect provider (identity/oidc.py), on when CLEARANCE_OIDC_ISSUER is set:
# authorization-code flow with PKCE; the provider's endpoints come from its discovery document (the issuer's
# /.well-known/openid-configuration, or CLEARANCE_OIDC_DISCOVERY_URL). CLEARANCE_OIDC_ROLE_MAP maps the
# provider's groups to Clearance's roles, "group=role" pairs separated by commas (roles by their keys in
# governance/roles.py: business_owner, legal, privacy, security, procurement, compliance, executive, admin);
# a mapped role is the provider's to give: granted and taken away at every sign-in.
CLEARANCE_OIDC_ISSUER = env_url("CLEARANCE_OIDC_ISSUER", ("https", "http"))
CLEARANCE_OIDC_DISCOVERY_URL = env_url("CLEARANCE_OIDC_DISCOVERY_URL", ("https", "http"))
if CLEARANCE_OIDC_ISSUER and not CLEARANCE_OIDC_DISCOVERY_URL:
    CLEARANCE_OIDC_DISCOVERY_URL = CLEARANCE_OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
CLEARANCE_OIDC_PROVIDER_NAME = env.str("CLEARANCE_OIDC_PROVIDER_NAME", default="single sign-on")[:60]
CLEARANCE_OIDC_GROUPS_CLAIM = env.str("CLEARANCE_OIDC_GROUPS_CLAIM", default="groups")
CLEARANCE_OIDC_USERNAME_CLAIM = env.str("CLEARANCE_OIDC_USERNAME_CLAIM", default="preferred_username")


def env_role_map(name: str) -> dict[str, str]:
    """ "group=role,group=role" as {group: role group's name}; a group may give one role only. Pairs are
    separated by semicolons instead when the value has one (group names that hold commas: LDAP DNs)."""
    from governance.roles import ROLE_KEYS

    raw = env.str(name, default="")
    mapping = {}
    for pair in (part.strip() for part in raw.split(";" if ";" in raw else ",") if part.strip()):
        group, sep, key = (part.strip() for part in pair.rpartition("="))
        if not sep or not group or key not in ROLE_KEYS:
            raise ImproperlyConfigured(f"{name}: {pair!r} is not group=role with a role among {', '.join(ROLE_KEYS)}.")
        if group in mapping and mapping[group] != ROLE_KEYS[key]:
            raise ImproperlyConfigured(f"{name}: the group {group!r} is mapped to two roles.")
        mapping[group] = ROLE_KEYS[key]
    return mapping


CLEARANCE_OIDC_ROLE_MAP = env_role_map("CLEARANCE_OIDC_ROLE_MAP")
# Local passwords: on by default; off, only the accounts named in CLEARANCE_BREAK_GLASS_USERS may still sign
# in with a password (on the sign-in page's break-glass form and the admin's).
CLEARANCE_LOCAL_LOGIN = env_bool("CLEARANCE_LOCAL_LOGIN", True)
CLEARANCE_BREAK_GLASS_USERS = env_list("CLEARANCE_BREAK_GLASS_USERS", [])
# Whom a person with no role is told to ask (shown with the governance admins' names), e.g. "the IT service
# desk, extension 4321".
CLEARANCE_ACCESS_CONTACT = env.str("CLEARANCE_ACCESS_CONTACT", default="")[:200]
if CLEARANCE_OIDC_ISSUER:
    OIDC_RP_CLIENT_ID = env.str("CLEARANCE_OIDC_CLIENT_ID", default="")
    OIDC_RP_CLIENT_SECRET = env.str("CLEARANCE_OIDC_CLIENT_SECRET", default="")
    if not OIDC_RP_CLIENT_ID:
        raise ImproperlyConfigured("CLEARANCE_OIDC_CLIENT_ID must be set when CLEARANCE_OIDC_ISSUER is.")
    OIDC_RP_SCOPES = env.str("CLEARANCE_OIDC_SCOPES", default="openid email profile")
    OIDC_RP_SIGN_ALGO = env.str("CLEARANCE_OIDC_SIGN_ALGO", default="RS256")
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = env_int("CLEARANCE_OIDC_TIMEOUT_SECONDS", 10, minimum=1)
    OIDC_STORE_ID_TOKEN = True  # for the provider's logout (id_token_hint)
    OIDC_CREATE_USER = True
    OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
    LOGIN_REDIRECT_URL_FAILURE = "login"
    OIDC_OP_LOGOUT_URL_METHOD = "identity.oidc.provider_logout_url"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
# Clearance speaks English only; the API schema's `lang` parameter offers no other.
LANGUAGES = [("en", "English")]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# An evaluation result file (an Inspect log of tens of thousands of samples runs to tens of megabytes).
EVALUATION_MAX_BYTES = env_int("EVALUATION_MAX_BYTES", 512 * 1024 * 1024, minimum=1)

# E-mail: the console in the embedded default, SMTP (or any backend) when EMAIL_URL is set.
_email_url = env.str("EMAIL_URL", default="")
if _email_url:
    globals().update(env.email_url_config(_email_url))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="clearance@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: a real broker when REDIS_URL is set, otherwise tasks run in-process as they are queued.
REDIS_URL = env_url("REDIS_URL", ("redis", "rediss"))
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CELERY_BROKER_URL = "memory://localhost/"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
# In-process (no broker), approval records and report exports render on a background thread after the
# response, not inside the request that asked for them (approvals/background.py). Tests turn it off.
CLEARANCE_RENDER_IN_BACKGROUND = env_bool("CLEARANCE_RENDER_IN_BACKGROUND", True)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must fail fast when the broker is down: the outbox keeps the work and a sweep retries.
# The socket timeouts cover a Redis that accepts connections but never answers (without them a publish
# waits forever); the read timeout stays above the worker's 1 s BRPOP.
# Every task has a time limit: the soft one raises inside the task (which records the failure), the hard
# one kills the process a little later if the task ignored it. Renders get their own, shorter pair.
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CLEARANCE_TASK_SOFT_SECONDS", 240, minimum=1)
CELERY_TASK_TIME_LIMIT = CELERY_TASK_SOFT_TIME_LIMIT + 60
CLEARANCE_RENDER_SOFT_SECONDS = env_int("CLEARANCE_RENDER_SOFT_SECONDS", 120, minimum=1)
CLEARANCE_RENDER_HARD_SECONDS = CLEARANCE_RENDER_SOFT_SECONDS + 30
# A PDF longer than this is refused while it is laid out, so no document can fill a worker for long. A
# typical record has a handful of pages; one whose every text field is at its length limit has about
# 120 (and renders in well under the render time limit), so every request the forms accept still gets
# its record. The report's appendix lists up to 1000 use cases.
CLEARANCE_PDF_MAX_PAGES = env_int("CLEARANCE_PDF_MAX_PAGES", 150, minimum=1)
CLEARANCE_REPORT_MAX_PAGES = env_int("CLEARANCE_REPORT_MAX_PAGES", 120, minimum=1)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # With late acknowledgement Redis gives a task to another worker once it has been unacknowledged this
    # long; that is how a killed worker's task comes back. It must exceed the longest task's hard limit
    # twice over (a prefetched task waits for the one before it, then runs), or a task still running
    # would be handed out again; much longer only delays recovery (the sweeps recover sooner anyway).
    "visibility_timeout": 2 * max(CELERY_TASK_TIME_LIMIT, CLEARANCE_RENDER_HARD_SECONDS) + 60,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# Queueing a task also subscribes to its result on the result backend (the same Redis), retried 20 times
# a second apart by default: a decision would wait 20 s per e-mail when Redis is down. Same rule here.
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_TASK_PUBLISH_RETRY = False
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BEAT_SCHEDULE = {
    "deliver-pending-notifications": {
        "task": "approvals.tasks.deliver_pending_notifications",
        "schedule": timedelta(minutes=5),
    },
    "suspend-stale-approvals": {"task": "approvals.tasks.suspend_stale_approvals", "schedule": timedelta(hours=1)},
    "expire-approvals": {"task": "approvals.tasks.expire_approvals", "schedule": timedelta(hours=1)},
    "remind-overdue-signoffs": {"task": "approvals.tasks.remind_overdue_signoffs", "schedule": timedelta(hours=6)},
    "remind-expiring-approvals": {"task": "approvals.tasks.remind_expiring_approvals", "schedule": timedelta(hours=12)},
    "sweep-conditions": {"task": "approvals.tasks.sweep_conditions", "schedule": timedelta(hours=1)},
    "render-missing-records": {"task": "approvals.tasks.render_missing_records", "schedule": timedelta(minutes=10)},
    "requeue-report-exports": {"task": "reports.tasks.requeue_report_exports", "schedule": timedelta(minutes=5)},
    "deliver-due-webhooks": {"task": "webhooks.tasks.deliver_due_webhooks", "schedule": timedelta(minutes=1)},
}
CELERY_TIMEZONE = TIME_ZONE

# Reasons given for changes can be long (a reviewer's note); keep them whole.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Governance policy.
CLEARANCE_APPROVAL_MONTHS = env_int("CLEARANCE_APPROVAL_MONTHS", 12, minimum=1)
CLEARANCE_APPROVAL_MONTHS_HIGH_RISK = env_int("CLEARANCE_APPROVAL_MONTHS_HIGH_RISK", 6, minimum=1)
CLEARANCE_SIGNOFF_SLA_DAYS = env_int("CLEARANCE_SIGNOFF_SLA_DAYS", 5, minimum=1)
# A condition set without a date (through the services' text form) is due this many days after approval;
# owners are reminded this many days before a condition is due.
CLEARANCE_CONDITION_DAYS = env_int("CLEARANCE_CONDITION_DAYS", 30, minimum=1)
CLEARANCE_CONDITION_REMINDER_DAYS = env_int("CLEARANCE_CONDITION_REMINDER_DAYS", 7, minimum=1)
CLEARANCE_EXPIRY_WARNING_DAYS = env_int("CLEARANCE_EXPIRY_WARNING_DAYS", 30, minimum=1)
# Portfolio figures (home summary, report page) are cached under a key that moves with every change behind
# them (reports/cache.py); this bounds how long an entry lives regardless.
CLEARANCE_FIGURES_CACHE_SECONDS = env_int("CLEARANCE_FIGURES_CACHE_SECONDS", 120, minimum=0)
# How long a gateway may keep a runtime decision (the decision endpoint's cache_seconds): the longest a
# suspension or revocation takes to reach a gateway that caches. Clearance itself answers from the database.
CLEARANCE_GATEWAY_CACHE_SECONDS = env_int("CLEARANCE_GATEWAY_CACHE_SECONDS", 60, minimum=0)
# Attempts at one e-mail before it is marked failed and left for a governance admin to retry.
CLEARANCE_NOTIFICATION_MAX_ATTEMPTS = env_int("CLEARANCE_NOTIFICATION_MAX_ATTEMPTS", 5, minimum=1)
# Webhooks: each delivery is a signed POST that waits this long for an answer, is tried this many times
# (waiting 1 min, 5 min, 30 min, 2 h, 12 h, then a day between tries), and an endpoint whose attempts fail
# this many times in a row is disabled. Plain http:// is accepted only for this machine's own addresses
# unless CLEARANCE_WEBHOOK_ALLOW_HTTP is on (a closed network that has no TLS).
CLEARANCE_WEBHOOK_TIMEOUT_SECONDS = env_int("CLEARANCE_WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
CLEARANCE_WEBHOOK_MAX_ATTEMPTS = env_int("CLEARANCE_WEBHOOK_MAX_ATTEMPTS", 6, minimum=1)
CLEARANCE_WEBHOOK_DISABLE_AFTER = env_int("CLEARANCE_WEBHOOK_DISABLE_AFTER", 10, minimum=1)
CLEARANCE_WEBHOOK_ALLOW_HTTP = env_bool("CLEARANCE_WEBHOOK_ALLOW_HTTP", False)
CLEARANCE_WEBHOOK_BACKOFF_SECONDS = (60, 300, 1800, 7200, 43200, 86400)
CLEARANCE_RESTRICTED_COUNTRIES = [
    c.upper() for c in env_list("CLEARANCE_RESTRICTED_COUNTRIES", ["RU", "KP", "IR", "SY", "CU", "BY"])
]

# The API (/api/v1/): a service account's bearer token first (so a request without credentials is told to
# send one, 401), then the browser's session; every view also checks the token's scopes.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ServiceTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated", "api.permissions.TokenScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Clearance API",
    "DESCRIPTION": "AI model adoption requests, their review and approval, and runtime decisions for gateways.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name per lifecycle: several models call their state `status`.
    "ENUM_NAME_OVERRIDES": {
        "UseCaseStatusEnum": "governance.models.UseCaseStatus",
        "RoundStatusEnum": "approvals.models.RoundStatus",
        "ConditionStatusEnum": "approvals.models.Condition.Status",
        "SignOffDecisionEnum": "approvals.models.SignOff.Decision",
        # What a person may answer (a sign-off's decisions but "pending").
        "VerdictEnum": ["approve", "approve_with_conditions", "request_changes", "reject"],
        # A candidate model of a use case's evaluation evidence.
        "CandidateRoleEnum": ["primary", "fallback", "other"],
        # An approved model's place in a use case, as the gateway decision and exports name it.
        "ApprovedModelRoleEnum": ["primary", "fallback"],
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "api.docs_errors.add_refusals"],
}

# Security. Production (DEBUG off) gets the strict defaults that `check --deploy` asks for.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz(/live|/ready)?$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    if env_bool("USE_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per successful task is noise; failures are still logged.
    "loggers": {"celery.app.trace": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}
