"""Django settings, read from typed environment variables (see docs/configuration in README)."""

import secrets
from pathlib import Path

import dj_database_url

from townhall.env import envbool, envint, envlist, envstr
from townhall.signin import config as signin_config

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(envstr("TOWNHALL_VAR_DIR", str(PROJECT_DIR / "var")) or PROJECT_DIR / "var")
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = envbool("TOWNHALL_PRODUCTION", False)
DEBUG = envbool("DEBUG", not PRODUCTION) and not PRODUCTION


def _secret_key() -> str:
    key = envstr("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError(
            "SECRET_KEY (or SECRET_KEY_FILE) must be set when TOWNHALL_PRODUCTION is on."
        )
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
# Earlier keys while rotating: sessions and links signed with them, and the secrets sealed
# with them (core.sealing), keep working until they are renewed.
SECRET_KEY_FALLBACKS = envlist("SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

JURISDICTION_NAME = envstr("TOWNHALL_JURISDICTION", "Juniper County (fictional demo)")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    # OpenID Connect sign-in: allauth does the protocol (townhall/signin adds the rest).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "townhall.core",
    "townhall.accounts",
    "townhall.org",
    "townhall.estate",
    "townhall.imports",
    "townhall.governance",
    "townhall.cyber",
    "townhall.continuity",
    "townhall.foundation",
    "townhall.shadowit",
    "townhall.people",
    "townhall.registers",
    "townhall.public",
    "townhall.exchange",
    "townhall.audit",
    "townhall.jobs",
    "townhall.signin",
    "townhall.scim",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "townhall.core.middleware.RequestIdMiddleware",
    "townhall.core.middleware.ContentSecurityPolicyMiddleware",
    # Inside it: the sign-in page's policy also names the sign-in providers (form-action).
    "townhall.signin.middleware.ProviderFormActionMiddleware",
    "townhall.core.middleware.RejectNullCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "townhall.core.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every view asks for sign-in unless marked `login_not_required` (sign-in, health,
    # calendar feeds; DRF's API views, which answer 401 themselves): a new page is closed
    # by default. core/tests/test_sign_in_everywhere.py walks every address.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # allauth reads the request from here while a provider's answer is handled.
    "allauth.account.middleware.AccountMiddleware",
    # After messages: a session it ends says why on the sign-in page.
    "townhall.accounts.middleware.SessionLimitsMiddleware",
    # After it: a person who must set up two-step sign-in does that before anything else.
    "townhall.accounts.middleware.EnrolFirstMiddleware",
    # Before anything reads the body (CSRF's check reads the form); after the user, for the
    # page it answers with.
    "townhall.core.middleware.UploadLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "townhall.core.middleware.BusyDatabaseMiddleware",
]

ROOT_URLCONF = "townhall.urls"
WSGI_APPLICATION = "townhall.wsgi.application"

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
                "townhall.core.context_processors.townhall",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'townhall.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web server write without blocking each other's reads.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        # How long a writer waits for another's write to end before "database is locked".
        "timeout": envint("TOWNHALL_SQLITE_BUSY_SECONDS", 20),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # PostgreSQL's JIT compiles plans it guesses are costly; for the short queries of a page
    # the compiling took longer than the query (100 ms and more on the large estate).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Figures kept until the next change (dependency losses, exposure summary, home counts):
# in files under the var directory, so every server process and the worker share them
# rather than each working them out again.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (accounts/throttle.py; docs/architecture.md, Security): failures
# per account from one address, per address for all accounts, and a growing wait per account.
LOGIN_FAILURE_LIMIT = envint("TOWNHALL_LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = envint("TOWNHALL_LOGIN_LOCKOUT_MINUTES", 15)
LOGIN_ADDRESS_LIMIT = envint("TOWNHALL_LOGIN_ADDRESS_LIMIT", 30)
LOGIN_MAX_DELAY_SECONDS = envint("TOWNHALL_LOGIN_MAX_DELAY_SECONDS", 60)
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the client's address;
# from anywhere else the connection's own address counts.
TRUSTED_PROXIES = envlist("TOWNHALL_TRUSTED_PROXIES", [])

# Single sign-on (docs/sign-in.md): OpenID Connect providers from TOWNHALL_OIDC_PROVIDERS
# and TOWNHALL_OIDC_<NAME>_* (secrets may be given as *_FILE), handled by allauth with
# Townhall's additions (townhall/signin/oidc.py). No provider: the sign-in page is as before.
SOCIALACCOUNT_PROVIDERS = signin_config.allauth_settings(signin_config.providers_from_env())
SOCIALACCOUNT_ADAPTER = "townhall.signin.adapter.SignInAdapter"
# SAML 2.0 identity providers from TOWNHALL_SAML_PROVIDERS and TOWNHALL_SAML_<NAME>_*, handled
# by python3-saml with Townhall's additions (townhall/signin/saml.py); Townhall's own optional
# certificate and key as a service provider from TOWNHALL_SAML_SP_CERT_FILE and _KEY_FILE.
TOWNHALL_SAML_PROVIDERS = signin_config.saml_providers_from_env(
    [app["provider_id"] for app in SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]]
)
TOWNHALL_SAML_SP = signin_config.saml_service_provider()
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = envint("TOWNHALL_OIDC_TIMEOUT_SECONDS", 10)
# The callback address sent to providers: https in production, even behind a proxy.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# An account is made at a person's first sign-in only when this is on; otherwise an
# administrator makes it first, with the e-mail address the provider sends.
TOWNHALL_OIDC_CREATE_ACCOUNTS = signin_config.create_accounts()
# Off: only the break-glass account below may still sign in with a password.
TOWNHALL_PASSWORD_SIGN_IN = signin_config.password_sign_in()
TOWNHALL_BREAK_GLASS_USERNAME = signin_config.break_glass_username()

# The session limits an administrator sets on the session policy page start from these:
# idle hours, and hours after signing in however busy (accounts/sessions.py).
SESSION_IDLE_HOURS = envint("TOWNHALL_SESSION_HOURS", 8)
SESSION_MAX_HOURS = envint("TOWNHALL_SESSION_MAX_HOURS", 24)
# Django's own expiry is only the outer bound (the longest idle limit the policy allows):
# SessionLimitsMiddleware ends a session at the policy's limits. IdleSessionMiddleware
# renews it while it is used, at most every few minutes (each save is a write).
SESSION_COOKIE_AGE = max(SESSION_IDLE_HOURS, 24) * 3600

LANGUAGE_CODE = "en-us"
TIME_ZONE = envstr("TIME_ZONE", "America/Chicago")
USE_I18N = True
# The public site speaks English and Spanish (townhall/public/language.py chooses per
# visitor); staff pages are in English. Translations: townhall/locale, compiled at set-up.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(envstr("TOWNHALL_MEDIA_DIR", str(VAR_DIR / "media")) or VAR_DIR / "media")
# Uploaded files are served by core.views.media, only to people who may see their record.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploads are bounded: a request body over this is refused before it is read.
UPLOAD_MAX_MB = envint("TOWNHALL_UPLOAD_MAX_MB", 25)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

# E-mail (campaign requests and reminders). Without TOWNHALL_EMAIL_HOST messages are
# written to the console, so nothing leaves the machine by accident.
EMAIL_HOST = envstr("TOWNHALL_EMAIL_HOST", "")
EMAIL_PORT = envint("TOWNHALL_EMAIL_PORT", 587)
EMAIL_HOST_USER = envstr("TOWNHALL_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envstr("TOWNHALL_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = envbool("TOWNHALL_EMAIL_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = envstr("TOWNHALL_EMAIL_FROM", "townhall@localhost")
# The address people use to reach Townhall, for links in e-mails sent from the command line.
TOWNHALL_BASE_URL = envstr("TOWNHALL_BASE_URL", "")

# Security headers; production turns on the HTTPS-only ones.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("TOWNHALL_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("TOWNHALL_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("TOWNHALL_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the whole domain to HTTPS for browsers; the city's web team decides.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "townhall.accounts.throttle.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "townhall.accounts.throttle.TokenScope",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "townhall.core.apiconf.Pagination",
    "DEFAULT_SCHEMA_CLASS": "townhall.core.schema.Schema",
    "EXCEPTION_HANDLER": "townhall.core.apiconf.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Townhall API",
    "DESCRIPTION": "Every record in Townhall, read and written through the same permission "
    "and audit path as the pages.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Like the API itself: signed-in people only (README, The API).
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # A component's kind is also the key of foundation's service lives and unit costs: one
    # choice set on three records, named once.
    "ENUM_NAME_OVERRIDES": {
        "ComponentKindEnum": "townhall.estate.models.Component.Kind",
        # Two kinds of feed named alike: what was imported, and what an exposure matched.
        "FeedImportKindEnum": "townhall.cyber.models.FeedImport.Kind",
        "ExposureKindEnum": "townhall.cyber.models.Exposure.Kind",
        # The 0–4 skill scale: a proficiency's level and a training plan's levels.
        "SkillLevelEnum": "townhall.people.models.LEVELS",
        # A requisition's kind, in its record and in the body of its edit.
        "RequisitionKindEnum": "townhall.people.models.Requisition.Kind",
        # The registers': an AI use case's practices and yes-or-no answers, data
        # classification (a dataset's, as a system's), a pilot's kind of technology.
        "AIPracticeEnum": "townhall.registers.models.AIUseCase.Practice",
        "YesNoEnum": "townhall.registers.models.YES_NO",
        "DataClassificationEnum": "townhall.estate.models.System.Classification",
        "PilotTechnologyEnum": "townhall.registers.models.Technology",
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    # Without deep links each operation's heading is one button, not a link inside a button.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "townhall.core.schema.empty_means_any",
    ],
}

TASKS = {
    "default": {
        "BACKEND": envstr("TOWNHALL_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every page it lays out at INFO; its warnings still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Large exports go to the background above this many rows.
EXPORT_INLINE_LIMIT = envint("TOWNHALL_EXPORT_INLINE_LIMIT", 5000)
# Imports of more rows than this are checked and committed in the background.
TOWNHALL_IMPORT_INLINE_ROWS = envint("TOWNHALL_IMPORT_INLINE_ROWS", 2000)
# The most data rows read from one imported file (imports.parsing.Limits has the other caps).
TOWNHALL_IMPORT_MAX_ROWS = envint("TOWNHALL_IMPORT_MAX_ROWS", 250_000)
# The registers' social media accounts: the e-mail domains the government owns, so a
# recovery address elsewhere is someone's own (TOWNHALL_GOVERNMENT_DOMAINS, a comma list such
# as "juniper.gov,jcso.org").
# Empty: the domains of the estate people's e-mail addresses, less the free mail providers;
# a .gov or .mil address always counts as the government's (registers/social.py).
REGISTERS_GOVERNMENT_DOMAINS = envlist("TOWNHALL_GOVERNMENT_DOMAINS", [])
# Which innovation pilots need a surveillance review before they run (docs/registers.md):
# comma lists of technology kinds (body_camera, drone, plate_reader, iot, vehicle, ai, other)
# that always need one (TOWNHALL_SURVEILLANCE_ALWAYS) and that need one when the pilot
# collects personal data (TOWNHALL_SURVEILLANCE_PERSONAL_DATA). A list left unset keeps the
# registers' default for it (registers/pilots.py DEFAULT_RULE); an empty one means none.
TOWNHALL_SURVEILLANCE_REVIEW: dict[str, list[str]] = {
    key: envlist(name, [])
    for key, name in (
        ("always", "TOWNHALL_SURVEILLANCE_ALWAYS"),
        ("personal_data", "TOWNHALL_SURVEILLANCE_PERSONAL_DATA"),
    )
    if envstr(name) is not None
}


# Residents' input on the public site (docs/public-site.md): publish confirmed comments at
# once instead of after moderation; how long a confirmation link works; how many sends one
# e-mail address and one client may make in an hour.
PUBLIC_INPUT_PUBLISH_AT_ONCE = envbool("TOWNHALL_PUBLIC_INPUT_PUBLISH_AT_ONCE", False)
PUBLIC_INPUT_CONFIRM_HOURS = envint("TOWNHALL_PUBLIC_INPUT_CONFIRM_HOURS", 48)
PUBLIC_INPUT_PER_ADDRESS = envint("TOWNHALL_PUBLIC_INPUT_PER_ADDRESS", 5)
PUBLIC_INPUT_PER_CLIENT = envint("TOWNHALL_PUBLIC_INPUT_PER_CLIENT", 20)

# The peer exchange (docs/exchange.md). TOWNHALL_EXCHANGE_HUB=true makes this Townhall an
# exchange hub as well (`townhall exchange serve` runs one on its own): its API under /hub/api/
# takes members' signed submissions and releases cohort statistics only for cohorts of at
# least TOWNHALL_EXCHANGE_MIN_COHORT members.
EXCHANGE_HUB = envbool("TOWNHALL_EXCHANGE_HUB", False)
EXCHANGE_MIN_COHORT = max(5, envint("TOWNHALL_EXCHANGE_MIN_COHORT", 5))
# How many times a member may change its figures for one year after the first submission:
# each change is a new release of its cohorts, and a member that may resubmit without end can
# probe its peers' values by watching the quartiles move.
EXCHANGE_MAX_REVISIONS = max(0, envint("TOWNHALL_EXCHANGE_MAX_REVISIONS", 5))
# --- hub ---
# A hub's differential-privacy budget per year and metric set version (docs/exchange.md):
# set, it adds OpenDP's Laplace noise to every released figure; unset, none.
_EPSILON = (envstr("TOWNHALL_EXCHANGE_EPSILON") or "").strip()
if _EPSILON and not _EPSILON.replace(".", "", 1).isdecimal():
    raise RuntimeError("TOWNHALL_EXCHANGE_EPSILON must be a positive number, such as 1 or 0.5")
EXCHANGE_EPSILON: float | None = float(_EPSILON) if _EPSILON and float(_EPSILON) > 0 else None
