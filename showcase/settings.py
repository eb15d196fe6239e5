"""Settings for Showcase, read from the environment.

Development needs nothing set: DEBUG is on, the database is SQLite in the
project folder and email is printed to the console. Production sets
DEBUG=false and then must set SECRET_KEY and ALLOWED_HOSTS, or the site
refuses to start. See the README's "Running in production" section.
"""

import json
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from showcase.env import env_bool, env_int, env_int_list, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "development-only-secret-key-never-use-in-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = env_str("SECRET_KEY", required=True)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True)

SITE_NAME = "Showcase"
SITE_TAGLINE = "Public-service reforms that worked, shared by the councils that made them"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Who runs this Showcase, named in the privacy notice, and how long its web
# servers keep access logs (the deployment's promise; the site keeps no logs itself).
SITE_OPERATOR = env_str("SITE_OPERATOR", "the council partnership network that hosts it")
SERVER_LOG_DAYS = env_int("SERVER_LOG_DAYS", 30)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    # The domain, then the rooms that use it (see README, "Where things live").
    "core",
    "councils",
    "casestudies",
    "search",
    "browse",
    "moderation",
    "opendata",
    "accounts",
    "peers",
    "compare",
    "figures",
    "maps",
    "curated",
    "pages",
    "demo",
]
LOGIN_URL = "accounts:sign-in"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SlidingSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "core.middleware.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "showcase.urls"
WSGI_APPLICATION = "showcase.wsgi.application"

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
                "django.template.context_processors.csp",
                "core.context_processors.site",
            ],
        },
    },
    {
        # Plain-text emails: nothing is HTML-escaped, and nothing here is ever a web page.
        "NAME": "emails",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates" / "emails"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": False},
    },
]

# One variable chooses the database: SQLite in the project folder by default,
# PostgreSQL in production (postgres://user:password@host:5432/name).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids
    # "database is locked" surprises when two processes start writing at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

# Read replicas (PostgreSQL streaming replicas), none unless named: reads of public
# pages and the API go to one, everything else to the primary (core.db_routing).
# A visitor who wrote reads from the primary for DATABASE_REPLICA_STICKY_SECONDS; a
# replica that is down or lags by more than DATABASE_REPLICA_MAX_LAG_SECONDS is
# skipped, checked again every DATABASE_REPLICA_CHECK_SECONDS (core.replicas).
DATABASE_REPLICAS = []
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    _replica = dj_database_url.parse(
        _url, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    _replica["OPTIONS"] = {"connect_timeout": 2, **_replica.get("OPTIONS", {})}
    _replica["TEST"] = {"MIRROR": "default"}  # tests never build a database of its own
    DATABASES[f"replica{_number}"] = _replica
    DATABASE_REPLICAS.append(f"replica{_number}")
if DATABASE_REPLICAS:
    DATABASE_ROUTERS = ["core.db_routing.ReplicaRouter"]
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 10)
DATABASE_REPLICA_STICKY_SECONDS = env_int("DATABASE_REPLICA_STICKY_SECONDS", 30)
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Our own images and scripts, then what the asset build writes (CSS compiled
# from GOV.UK Frontend's Sass, and its images and JavaScript).
STATICFILES_DIRS = [BASE_DIR / "static" / "public", BASE_DIR / "build" / "static"]
MEDIA_URL = "/media/"
ATTACHMENT_MAX_MB = 10
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Uploaded files go through Django's storage API: local files by default, or any
# backend (an S3-compatible store in production, see the README) named here.
STORAGES = {
    "default": {
        "BACKEND": env_str("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(env_str("STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG else "core.storage.StaticStorage"
        )
    },
}
# An S3-compatible object store (django-storages) when MEDIA_S3_BUCKET is set. Objects
# are private and never linked to: documents reach people only through the
# permission-checking download view (/attachments/<id>/).
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("MEDIA_S3_REGION", "") or None,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("MEDIA_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Email: printed to the console in development; SMTP in production
# (Django 6.1's MAILERS setting replaces the old EMAIL_* settings).
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 587),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 20,
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Showcase <no-reply@showcase.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
CURATORS_EMAIL = env_str("CURATORS_EMAIL", "curators@showcase.localhost")
# Curators work for the partnership network, not a council: addresses at these
# domains sign in by emailed link too, but only where a curator (staff) account
# exists for them; anyone else at the domain is told a link was sent and gets none.
CURATOR_EMAIL_DOMAINS = env_list("CURATOR_EMAIL_DOMAINS", ["showcase.localhost"])

# Shared by every web process on every machine: rate-limit counters and cached
# values live in the database, never in one process's memory.
# Limits have a table of their own: when the page cache fills it deletes entries
# to make room, and a flood of distinct addresses must not wipe the counters.
CACHES = {
    "default": {
        "BACKEND": "core.db_cache.UpsertDatabaseCache",
        "LOCATION": "showcase_cache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
    "limits": {
        "BACKEND": "core.db_cache.UpsertDatabaseCache",
        "LOCATION": "showcase_limits",
        "OPTIONS": {"MAX_ENTRIES": 200000},
    },
}
# With REDIS_URL (redis://host:6379/0) both live in Redis instead, through Django's
# own Redis backend, and sessions are kept in their table with a copy in the cache.
# If Redis goes away pages are built afresh and limits fail safe (core.cache).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    _REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
    CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "showcase",
            "OPTIONS": _REDIS_OPTIONS,
        },
        "limits": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "showcase-limits",
            "OPTIONS": _REDIS_OPTIONS,
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Pages and API answers for visitors who are not signed in are served from
# that cache until anything public changes (see browse.page_cache), and
# for at most this long, since some wording depends on the date. 0 turns it
# off, the default with DEBUG so that an edited template shows at once.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0 if DEBUG else 300)

# The map (/map/) draws on an outline built into build/maps/ by `make assets`, so no
# request leaves the site. A tile server's URL template ({z}/{x}/{y}) may be given
# for a script to draw under it; off by default (README, "The map").
MAP_TILE_URL = env_str("MAP_TILE_URL", "")

# Background work (email above all) goes through the database queue and is
# run by `manage.py run_worker`, never inside a request.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
# A failed task is tried again after each of these delays (seconds), then given up and logged.
TASK_RETRY_DELAYS = env_int_list("TASK_RETRY_DELAYS", [60, 600, 3600])
# Each worker (`manage.py run_worker`) writes a heartbeat every quarter of
# this, during long tasks too. A worker silent for longer is taken for gone: a
# task it left running is run again by another worker, and /healthz says
# "worker": "stale". How long a dead worker's email may wait, not a limit on tasks.
WORKER_LEASE_SECONDS = env_int("WORKER_LEASE_SECONDS", 60)

# Security headers. The Content-Security-Policy allows no inline script or
# style; scripts carry a per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Sessions end after this long without a request: a session in use is saved with a new
# expiry once its last save is SESSION_REFRESH_SECONDS old (core.middleware.SlidingSessionMiddleware),
# not on every request, so that reading pages signed in writes nothing.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 2)
SESSION_REFRESH_SECONDS = min(env_int("SESSION_REFRESH_SECONDS", 5 * 60), SESSION_COOKIE_AGE // 4)
CSRF_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe the health check over plain HTTP, without the proxy's header.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Joining the browsers' preload list is a decision for whoever owns
        # the domain, not a default; say so rather than leave a warning.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# How many proxies (load balancers) in front of the site append to X-Forwarded-For.
# Every rate limit reads the client's address through core.clients.client_address:
# with 0, the default, the header is never believed and the client is REMOTE_ADDR;
# with N, it is the Nth entry from the right. Set it to exactly the number of
# proxies, and let nothing reach the web servers except through them.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("The environment variable TRUSTED_PROXY_COUNT must be 0 or more.")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.ClientRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("API_ANON_RATE", "120/minute")},
    "UNAUTHENTICATED_USER": None,
    # Only for DRF's stock throttles, should a view name one; ours reads core.clients.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Showcase open data API",
    "DESCRIPTION": (
        "Read-only access to the case studies of council reforms published on Showcase, and to the "
        "council register behind them. Case study text: Open Government Licence v3.0. Council "
        "register: mySociety, CC BY 4.0."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "opendata.api_root.add_live_enums",
    ],
    "LICENSE": {
        "name": "Open Government Licence v3.0",
        "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Where the mySociety council register lives for `import_councils` when no
# path is given (CC BY 4.0, attribution "mySociety").
COUNCIL_REGISTER_URL = (
    "https://pages.mysociety.org/uk_local_authority_names_and_codes/data/"
    "uk_la_past_current/latest/uk_local_authorities_current.csv"
)
