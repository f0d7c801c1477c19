"""Settings shared by every environment; everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("TALENTLOOP_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "talentloop.core",
    "talentloop.org",
    "talentloop.recruiting",
    "talentloop.interviews",
    "talentloop.performance",
    "talentloop.learning",
    "talentloop.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "talentloop.core.middleware.TalentLoopLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "talentloop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "talentloop.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'talentloop.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the demo server read while a seed or task writes; the busy timeout turns lock
    # contention into a short wait instead of "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and os.environ.get("TALENTLOOP_PG_JIT") != "on":
    # PostgreSQL's JIT compiles the dashboards' big aggregate queries before running them, which costs more than
    # it saves on these short queries (400 ms of an 800 ms query in bench/insights.py); TALENTLOOP_PG_JIT=on keeps it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# One cache shared by every app process (the dashboards' aggregates): Redis when TALENTLOOP_CACHE_URL names one
# (redis://host:6379/1, another database than the broker's); otherwise Django's per-process memory cache.
if os.environ.get("TALENTLOOP_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["TALENTLOOP_CACHE_URL"],
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: a user's explicit choice (cookie) wins; otherwise TALENTLOOP_LANGUAGE when the operator set
# it, otherwise the browser's Accept-Language, otherwise Chinese.
TALENTLOOP_LANGUAGE_EXPLICIT = "TALENTLOOP_LANGUAGE" in os.environ
LANGUAGE_CODE = os.environ.get("TALENTLOOP_LANGUAGE", "zh-hans").lower()
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "talentloop" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "talentloop" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Assets ship inside the package: serve them straight from the finders so the demo needs no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "TalentLoop <noreply@talentloop.local>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "talentloop.core.api.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "talentloop.core.api.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "talentloop.core.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "TalentLoop API",
    "DESCRIPTION": "HR management with an AI interview that feeds hiring, performance and training.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI's assets come from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"StageEnum": "talentloop.recruiting.models.Stage"},
}

# Tasks run in-process unless a broker is configured; the same code then runs on Celery workers.
# Without a broker, tasks run eagerly in the calling process; the in-memory transport keeps Celery from looking
# for an AMQP server on localhost when it prepares to publish.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
# Every periodic job, in one place; `celery -A config beat` runs them when there are workers.
CELERY_BEAT_SCHEDULE = {
    "interview-reports-sweep": {"task": "talentloop.interviews.tasks.reports_sweep_task", "schedule": 300.0},
    "interview-media-retention": {"task": "talentloop.interviews.tasks.media_retention_task", "schedule": 3600.0},
    # Hourly, deduplicated per person and day; the task itself waits for the morning (REMINDER_HOUR).
    "performance-phase-reminders": {"task": "talentloop.performance.tasks.phase_reminders_task", "schedule": 3600.0},
    # Daily: a completed course is closed by the employee's next submitted review (did the gap close?).
    "learning-enrollments-follow-up": {
        "task": "talentloop.learning.tasks.enrollments_follow_up_task", "schedule": 86400.0,
    },
}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# A task whose worker died before acknowledging it goes back to the queue after this many seconds (Redis
# broker); keep it above the longest media analysis (a 30-minute recording takes a few minutes).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("TALENTLOOP_CELERY_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Employee identity numbers are masked everywhere they are listed; HR admins see them in full only on
# the edit form.
TALENTLOOP_MAX_PAGE_SIZE = 500
TALENTLOOP_COMPANY_NAME = os.environ.get("TALENTLOOP_COMPANY_NAME", "TalentLoop")
# Absolute links in emails sent outside a request (tasks, imports) start with this.
TALENTLOOP_SITE_URL = os.environ.get("TALENTLOOP_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
TALENTLOOP_MAX_RESUME_BYTES = int(os.environ.get("TALENTLOOP_MAX_RESUME_BYTES", str(10 * 1024 * 1024)))
# Uploads above this are refused before they are read into memory (resumes are far smaller).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# AI interviews (issue #4). Late answers are accepted and marked late, or refused ("reject"); the grace period
# absorbs network delay between the candidate's click and the server.
TALENTLOOP_INTERVIEW_EXPIRES_DAYS = int(os.environ.get("TALENTLOOP_INTERVIEW_EXPIRES_DAYS", "7"))
TALENTLOOP_INTERVIEW_LATE_ANSWERS = os.environ.get("TALENTLOOP_INTERVIEW_LATE_ANSWERS", "accept")
TALENTLOOP_INTERVIEW_GRACE_SECONDS = int(os.environ.get("TALENTLOOP_INTERVIEW_GRACE_SECONDS", "15"))
# The question generator by its registered name (talentloop.assessment.interview.register_generator).
TALENTLOOP_QUESTION_GENERATOR = os.environ.get("TALENTLOOP_QUESTION_GENERATOR", "weighted")
TALENTLOOP_MAX_ANSWER_CHARS = int(os.environ.get("TALENTLOOP_MAX_ANSWER_CHARS", "20000"))
# A TrueType font with Chinese glyphs for PDF reports; found among the system fonts when unset.
TALENTLOOP_PDF_FONT = os.environ.get("TALENTLOOP_PDF_FONT", "")

# Voice and video answers (issue #5). Recordings are refused above these limits; a retention of N days deletes
# the recording files after N days (transcripts, metrics and scores stay); 0 keeps them.
TALENTLOOP_MEDIA_MAX_BYTES = int(os.environ.get("TALENTLOOP_MEDIA_MAX_BYTES", str(200 * 1024 * 1024)))
TALENTLOOP_MEDIA_MAX_SECONDS = int(os.environ.get("TALENTLOOP_MEDIA_MAX_SECONDS", "1800"))
TALENTLOOP_MEDIA_CHUNK_BYTES = int(os.environ.get("TALENTLOOP_MEDIA_CHUNK_BYTES", str(1024 * 1024)))
TALENTLOOP_MEDIA_RETENTION_DAYS = int(os.environ.get("TALENTLOOP_MEDIA_RETENTION_DAYS", "90"))
TALENTLOOP_VIDEO_SAMPLE_FPS = float(os.environ.get("TALENTLOOP_VIDEO_SAMPLE_FPS", "2"))
# Speech recognition per interview language: "pocketsphinx" (English, offline, the default), "vosk:<model dir>",
# "faster-whisper:<model dir>", "baidu" (Baidu's cloud speech API, keys below) or "" (none: voice and video answers
# are not offered in that language).
TALENTLOOP_ASR_EN = os.environ.get("TALENTLOOP_ASR_EN", "pocketsphinx")
TALENTLOOP_ASR_ZH = os.environ.get("TALENTLOOP_ASR_ZH", "")
TALENTLOOP_BAIDU_ASR_API_KEY = os.environ.get("TALENTLOOP_BAIDU_ASR_API_KEY", "")
TALENTLOOP_BAIDU_ASR_SECRET_KEY = os.environ.get("TALENTLOOP_BAIDU_ASR_SECRET_KEY", "")
TALENTLOOP_BAIDU_ASR_TOKEN_URL = os.environ.get(
    "TALENTLOOP_BAIDU_ASR_TOKEN_URL", "https://aip.baidubce.com/oauth/2.0/token"
)
TALENTLOOP_BAIDU_ASR_URL = os.environ.get("TALENTLOOP_BAIDU_ASR_URL", "https://vop.baidu.com/server_api")
# An OpenAI-compatible chat API that drafts new interview questions for HR to approve (off when unset).
TALENTLOOP_LLM_BASE_URL = os.environ.get("TALENTLOOP_LLM_BASE_URL", "")
TALENTLOOP_LLM_MODEL = os.environ.get("TALENTLOOP_LLM_MODEL", "")
TALENTLOOP_LLM_API_KEY = os.environ.get("TALENTLOOP_LLM_API_KEY", "")
TALENTLOOP_LLM_TIMEOUT_SECONDS = float(os.environ.get("TALENTLOOP_LLM_TIMEOUT_SECONDS", "60"))
# 360° feedback: peer and direct-report answers show only aggregated, once this many of the group answered.
TALENTLOOP_FEEDBACK_MIN_GROUP = int(os.environ.get("TALENTLOOP_FEEDBACK_MIN_GROUP", "3"))
# Closing the loop (docs/insights.md): statistics need this many hires per job and competency; a gap beyond the
# margin (points) or a Pearson r below the threshold flags a competency; fairness groups smaller than the minimum
# are reported without rates; training is recommended when performance trails the interview by the margin.
TALENTLOOP_INSIGHTS_MIN_N = int(os.environ.get("TALENTLOOP_INSIGHTS_MIN_N", "10"))
TALENTLOOP_INSIGHTS_GAP_MARGIN = float(os.environ.get("TALENTLOOP_INSIGHTS_GAP_MARGIN", "5"))
TALENTLOOP_INSIGHTS_LOW_VALIDITY = float(os.environ.get("TALENTLOOP_INSIGHTS_LOW_VALIDITY", "0.3"))
TALENTLOOP_INSIGHTS_CACHE_SECONDS = int(os.environ.get("TALENTLOOP_INSIGHTS_CACHE_SECONDS", "600"))
TALENTLOOP_FAIRNESS_MIN_GROUP = int(os.environ.get("TALENTLOOP_FAIRNESS_MIN_GROUP", "5"))
TALENTLOOP_TRAINING_GAP_MARGIN = float(os.environ.get("TALENTLOOP_TRAINING_GAP_MARGIN", "5"))
