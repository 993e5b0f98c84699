"""Settings, read from environment variables with safe defaults.

Only the environment configures the application (no settings files to forget): see the README
for the variables. ``Config.from_env`` builds the mapping that ``create_app`` loads.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"  # nosec B105 # the name of the file, not a key


def default_database_url(instance_path: str) -> str:
    """The embedded default: a SQLite file under ``instance/``."""
    return "sqlite:///" + str(Path(instance_path) / "workplan.sqlite3")


def load_or_create_secret_key(instance_path: str) -> str:
    """Return the secret key kept under ``instance/``, generating it on first run.

    The key is never a constant in the code: each installation gets its own, and it survives
    restarts so sessions and sign-in links stay valid.
    """
    path = Path(instance_path) / SECRET_KEY_FILE
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    return key


def cookie_settings(secure: str) -> dict[str, object]:
    """The flags of both cookies that prove who someone is (the session, and remember-me),
    from one switch: ``COOKIE_SECURE``.

    Off by default, because the embedded default serves plain http://127.0.0.1, where a browser
    would never send a Secure cookie back; production behind HTTPS sets it to 1.
    """
    is_secure = _flag(secure)
    return {
        "SESSION_COOKIE_SECURE": is_secure,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_NAME": "remember_token",
        "REMEMBER_COOKIE_SECURE": is_secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
    }


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def parse_reminder_days(value: str) -> list[int]:
    """ "21,7" -> [21, 7]: the days before a cut-off on which reminders go, furthest first."""
    days = {int(part) for part in value.split(",") if part.strip()}
    if any(day < 1 for day in days):
        raise ValueError("REMINDER_DAYS are whole numbers of days before the cut-off, at least 1")
    return sorted(days, reverse=True)


def from_env(instance_path: str) -> dict[str, object]:
    """Build the configuration mapping from the environment."""
    env = os.environ
    database_url = env.get("DATABASE_URL") or default_database_url(instance_path)
    if database_url.startswith("postgres://"):
        # Some hosts still hand out the old scheme, which SQLAlchemy 2 rejects.
        database_url = "postgresql://" + database_url.removeprefix("postgres://")
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    max_attachment = int(env.get("MAX_ATTACHMENT_BYTES", str(10 * 1024 * 1024)))
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or load_or_create_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": env.get("REDIS_URL") or None,
        "RATELIMIT_STORAGE_URI": env.get("REDIS_URL") or "memory://",
        # Redis down must not lock everyone out: Flask-Limiter then counts in this process's
        # memory (the limits still apply, per process), logs a warning once, and goes back to
        # Redis when it answers again. Any other limiter error is logged, never a 500.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_HEADERS_ENABLED": True,
        "SIGN_IN_RATE_LIMIT": env.get("SIGN_IN_RATE_LIMIT", "10 per minute; 100 per day"),
        # Per personal access token (see workplan.api.auth.rate_limit_key).
        "API_RATE_LIMIT": env.get("API_RATE_LIMIT", "120 per minute; 5000 per hour"),
        # Behind a proxy, the number of proxies that set X-Forwarded-For / -Proto / -Host.
        "PROXY_COUNT": int(env.get("PROXY_COUNT", "0")),
        **cookie_settings(env.get("COOKIE_SECURE", "")),
        "SIGN_IN_LINK_MAX_AGE": int(env.get("SIGN_IN_LINK_MAX_AGE", str(24 * 3600))),
        "BABEL_DEFAULT_LOCALE": "en_GB",
        "LANGUAGES": ["en", "fr"],
        "WTF_CSRF_TIME_LIMIT": None,
        "PREFERRED_URL_SCHEME": env.get("PREFERRED_URL_SCHEME", "http"),
        "SERVER_BASE_URL": env.get("SERVER_BASE_URL", "http://127.0.0.1:5000"),
        # Files attached to progress updates: kept outside the static folder, served by a view
        # that checks permission. A request may carry a little more than one full-size file
        # (the form's text fields); anything larger is refused with a 413 page.
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER") or str(Path(instance_path) / "uploads"),
        "MAX_ATTACHMENT_BYTES": max_attachment,
        "MAX_CONTENT_LENGTH": max_attachment + 1024 * 1024,
        # Reports produced by background jobs: kept outside the static folder, served by a
        # view that checks permission, deleted by ``flask reports cleanup`` once expired.
        "REPORTS_FOLDER": env.get("REPORTS_FOLDER") or str(Path(instance_path) / "reports"),
        # Where attachments and report files are kept (see workplan.storage): unset for the
        # two folders above, file:///path for a folder, or s3://BUCKET/PREFIX for object
        # storage shared by every host (with the S3_/AWS_ settings below; keys left unset
        # fall back to boto3's own chain, e.g. an instance role).
        "STORAGE_URL": env.get("STORAGE_URL") or None,
        "S3_ENDPOINT_URL": env.get("S3_ENDPOINT_URL") or None,
        "AWS_ACCESS_KEY_ID": env.get("AWS_ACCESS_KEY_ID") or None,
        "AWS_SECRET_ACCESS_KEY": env.get("AWS_SECRET_ACCESS_KEY") or None,
        "AWS_DEFAULT_REGION": env.get("AWS_DEFAULT_REGION") or None,
        "REPORT_RETENTION_DAYS": int(env.get("REPORT_RETENTION_DAYS", "90")),
        "REPORT_QUEUE": env.get("REPORT_QUEUE", "reports"),
        "REPORT_JOB_TIMEOUT": int(env.get("REPORT_JOB_TIMEOUT", "900")),
        "REPORT_RETRIES": int(env.get("REPORT_RETRIES", "2")),
        "REPORT_RETRY_INTERVALS": [
            int(s) for s in env.get("REPORT_RETRY_INTERVALS", "30,120").split(",") if s.strip()
        ],
        # A run whose job has not signalled for this long is taken for dead (worker killed).
        "REPORT_STALE_AFTER": int(env.get("REPORT_STALE_AFTER", "300")),
        # How often a running job records that it is alive (well below REPORT_STALE_AFTER).
        "REPORT_HEARTBEAT_INTERVAL": float(env.get("REPORT_HEARTBEAT_INTERVAL", "30")),
        # How often an RQ worker, between jobs, ends the runs of workers that died.
        "REPORT_REAP_INTERVAL": int(env.get("REPORT_REAP_INTERVAL", "60")),
        # E-mail, with the Flask-Mail names. Without MAIL_SERVER nothing is sent: messages
        # stay in the outbox (/outbox) until a server is configured.
        "MAIL_SERVER": env.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _flag(env.get("MAIL_USE_TLS", "")),
        "MAIL_USE_SSL": _flag(env.get("MAIL_USE_SSL", "")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "workplan@localhost"),
        "MAIL_TIMEOUT": float(env.get("MAIL_TIMEOUT", "30")),
        # A message the server refused or could not take is tried again after 1, 2, 4...
        # times MAIL_RETRY_SECONDS, and given up (status "failed") after MAIL_MAX_ATTEMPTS.
        "MAIL_MAX_ATTEMPTS": int(env.get("MAIL_MAX_ATTEMPTS", "6")),
        "MAIL_RETRY_SECONDS": int(env.get("MAIL_RETRY_SECONDS", "60")),
        # A message claimed by a sender that never finished (killed) is released after this.
        "MAIL_CLAIM_TIMEOUT": int(env.get("MAIL_CLAIM_TIMEOUT", "600")),
        # Days before a meeting's reporting cut-off on which focal points are reminded.
        "REMINDER_DAYS": parse_reminder_days(env.get("REMINDER_DAYS", "21,7")),
        # "json" in production: one JSON line per request, per job and per log record on
        # standard output (see workplan/logs.py); "text" (Flask's usual logging) otherwise.
        "LOG_FORMAT": env.get("LOG_FORMAT", "text").strip().lower(),
        # The public page of the network's progress and its open data (/public, Annex II S7):
        # off unless PUBLIC_PORTAL=1; the licence line the open data carries; how long
        # browsers and proxies may keep a public page before asking again (seconds).
        "PUBLIC_PORTAL": _flag(env.get("PUBLIC_PORTAL", "")),
        "PUBLIC_LICENCE": env.get(
            "PUBLIC_LICENCE", "Creative Commons Attribution 4.0 International (CC BY 4.0)"
        ),
        "PUBLIC_MAX_AGE": int(env.get("PUBLIC_MAX_AGE", "300")),
        # Test-only hooks (a slow or failing job) are honoured only when this is set or the
        # app is testing; production never sets it.
        "REPORT_TEST_HOOKS": env.get("REPORT_TEST_HOOKS", "") == "1",
    }
