"""Settings come from the environment, with safe defaults."""

from __future__ import annotations

from pathlib import Path

from workplan import config


def test_secret_key_is_generated_once_and_kept(tmp_path: Path):
    first = config.load_or_create_secret_key(str(tmp_path))
    second = config.load_or_create_secret_key(str(tmp_path))
    other = config.load_or_create_secret_key(str(tmp_path / "elsewhere"))
    assert first == second
    assert len(first) >= 40
    assert other != first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_defaults_use_sqlite_under_instance(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    settings = config.from_env(str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/workplan.sqlite3"
    assert settings["REDIS_URL"] is None
    assert settings["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()


def test_environment_overrides(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/plan")
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    settings = config.from_env(str(tmp_path))
    assert settings["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/plan"
    assert settings["SECRET_KEY"] == "from-the-environment"
    assert settings["REDIS_URL"] == "redis://127.0.0.1:6379/3"
    assert not (tmp_path / "secret_key").exists()


def test_one_setting_makes_both_sign_in_cookies_secure(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("COOKIE_SECURE", raising=False)
    default = config.from_env(str(tmp_path))
    monkeypatch.setenv("COOKIE_SECURE", "1")
    secure = config.from_env(str(tmp_path))
    for prefix in ("SESSION_COOKIE_", "REMEMBER_COOKIE_"):
        assert default[prefix + "SECURE"] is False  # the embedded default serves plain http
        assert secure[prefix + "SECURE"] is True
        for settings in (default, secure):
            assert settings[prefix + "HTTPONLY"] is True
            assert settings[prefix + "SAMESITE"] == "Lax"


def test_the_rate_limiter_falls_back_to_memory_rather_than_fail(tmp_path: Path):
    settings = config.from_env(str(tmp_path))
    assert settings["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] is True
