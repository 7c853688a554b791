"""Settings read from the environment; production refuses to start without real secrets."""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # templates/, static/, migrations/, translations/


class ConfigurationError(RuntimeError):
    """Raised at start-up when the environment cannot run the app safely."""


def _key(variable: str, file_name: str, instance_path: Path, production: bool) -> str:
    """Use the variable when given; in development keep a generated key in the instance folder."""
    given = os.environ.get(variable)
    if given:
        if production and len(given.encode()) < 32:
            raise ConfigurationError(f"{variable} must be at least 32 bytes in production")
        return given
    if production:
        raise ConfigurationError(f"{variable} is required when ETHICS_ENV=production")
    key_file = instance_path / file_name
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _base_url(production: bool) -> str | None:
    """Where the site is reached; absolute links are built from it, never from a request's Host."""
    given = os.environ.get("ETHICS_BASE_URL", "").strip().rstrip("/")
    if given and not given.startswith(("https://", "http://")):
        raise ConfigurationError("ETHICS_BASE_URL must start with https:// or http://")
    if production and not given:
        raise ConfigurationError("ETHICS_BASE_URL is required when ETHICS_ENV=production")
    return given or None


def _choice(variable: str, allowed: tuple[str, ...]) -> str:
    """The variable's value, one of `allowed` (the first when unset)."""
    value = os.environ.get(variable) or allowed[0]
    if value not in allowed:
        raise ConfigurationError(f"{variable} must be one of {', '.join(allowed)}")
    return value


def sqlalchemy_url(url: str) -> str:
    """A plain postgresql:// URL names the psycopg 3 driver SQLAlchemy should use."""
    return "postgresql+psycopg://" + url.removeprefix("postgresql://") if url.startswith("postgresql://") else url


def load_config(instance_path: Path) -> dict:
    """Build the Flask config dictionary from ETHICS_* variables."""
    env = os.environ.get("ETHICS_ENV", "development")
    production = env == "production"
    database_url = sqlalchemy_url(os.environ.get("ETHICS_DATABASE_URL") or f"sqlite:///{instance_path / 'ethics.db'}")
    return {
        "ETHICS_ENV": env,
        "SECRET_KEY": _key("SECRET_KEY", "secret_key", instance_path, production),
        # Keys the audit log's entries; kept off the database so its administrator cannot re-sign a rewritten log.
        "ETHICS_AUDIT_KEY": _key("ETHICS_AUDIT_KEY", "audit_key", instance_path, production),
        "ETHICS_BASE_URL": _base_url(production),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "ETHICS_REDIS_URL": os.environ.get("ETHICS_REDIS_URL"),
        # How many trusted proxies stand in front (their X-Forwarded-For/-Proto are believed).
        "ETHICS_PROXY_HOPS": int(os.environ.get("ETHICS_PROXY_HOPS", "0")),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "ETHICS_SMTP_URL": os.environ.get("ETHICS_SMTP_URL"),
        "ETHICS_MAIL_FROM": os.environ.get("ETHICS_MAIL_FROM", "ethics@localhost"),
        "ETHICS_IDLE_TIMEOUT": timedelta(minutes=int(os.environ.get("ETHICS_IDLE_MINUTES", "30"))),
        "ETHICS_ABSOLUTE_TIMEOUT": timedelta(hours=int(os.environ.get("ETHICS_ABSOLUTE_HOURS", "12"))),
        "MAX_CONTENT_LENGTH": int(os.environ.get("ETHICS_MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        "ETHICS_MAX_XLSX_UNPACKED_BYTES": 200 * 1024 * 1024,
        "ETHICS_INVITATION_DAYS": 7,
        # Tasks run by `flask worker`; tests (and a machine without a worker, by choice) run them in process.
        "ETHICS_TASKS_IMMEDIATE": os.environ.get("ETHICS_TASKS_IMMEDIATE", "") == "1",
        "ETHICS_TASKS_SQLITE": os.environ.get("ETHICS_TASKS_SQLITE") or str(instance_path / "tasks.db"),
        "ETHICS_AUDIT_CHECKPOINT_FILE": os.environ.get("ETHICS_AUDIT_CHECKPOINT_FILE"),
        "ETHICS_MAX_IMPORT_ROWS": int(os.environ.get("ETHICS_MAX_IMPORT_ROWS", "100000")),
        "ETHICS_MAX_IMPORT_JOBS": int(os.environ.get("ETHICS_MAX_IMPORT_JOBS", "2")),
        # The API (docs/api.md): requests per token, and per address without a usable token.
        "ETHICS_API_RATE_LIMIT": os.environ.get("ETHICS_API_RATE_LIMIT") or "120/minute",
        "ETHICS_API_BAD_TOKEN_LIMIT": os.environ.get("ETHICS_API_BAD_TOKEN_LIMIT") or "20/minute",
        # Operations (docs/operations.md): "json" for one JSON object per log line; /metrics when set to 1.
        "ETHICS_LOG_FORMAT": _choice("ETHICS_LOG_FORMAT", ("text", "json")),
        "ETHICS_METRICS": os.environ.get("ETHICS_METRICS", "") == "1",
        "ETHICS_METRICS_TOKEN": os.environ.get("ETHICS_METRICS_TOKEN") or None,
        # Tune Python's garbage collector for serving (ethics/__init__.py); the test suite turns it off.
        "ETHICS_TUNE_COLLECTOR": os.environ.get("ETHICS_TUNE_COLLECTOR", "1") == "1",
        "BABEL_DEFAULT_LOCALE": "th",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Bangkok",
        "WTF_CSRF_TIME_LIMIT": None,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
    }
