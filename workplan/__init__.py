"""workplan: the work plan of the focal points for cooperation between UN and regional
human rights mechanisms."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from flask import Flask, request
from flask.logging import default_handler
from flask_babel import lazy_gettext
from sqlalchemy import event
from sqlalchemy.engine import Engine

from workplan import config
from workplan.extensions import babel, csrf, db, limiter, login_manager, migrate
from workplan.i18n import DEFAULT_LANGUAGE, LOCALES

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, CLI and error pages.

    ``overrides`` replace settings read from the environment (tests use it).
    """
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_relative_config=True,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config.from_env(app.instance_path))
    if overrides:
        app.config.update(overrides)
    if app.config["PROXY_COUNT"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    return app


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """SQLite enforces foreign keys only when asked, per connection; WAL lets readers and a
    writer work at the same time."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def _available_languages() -> list[str]:
    """The languages the interface can be shown in: English, in which it is written, and
    each language with a compiled catalogue (``translations/<lang>/LC_MESSAGES/*.mo``)."""
    compiled = {locale.language for locale in babel.list_translations()}
    return [language for language in LOCALES if language == "en" or language in compiled]


def _select_locale() -> str | None:
    """The interface language: the signed-in person's profile, else the language chosen with
    the switcher before signing in (kept in the session), else the browser's preference,
    else English; always among the languages that have a catalogue.

    A language without a catalogue would show English text with that language's name in
    ``<html lang>`` and its dates: English is chosen instead, until the catalogue exists.
    """
    if not request:
        return None
    from flask import session
    from flask_login import current_user

    available = _available_languages()
    for chosen in (
        getattr(current_user, "language", None) if current_user else None,
        session.get("language"),
    ):
        if chosen in available:
            return LOCALES[chosen]
    language = request.accept_languages.best_match(available, default=DEFAULT_LANGUAGE)
    return LOCALES[language]


def register_extensions(app: Flask) -> None:
    from workplan import logs, request_guards, storage

    logs.init_app(app)  # first: a request's time and id are taken before any other hook
    request_guards.init_app(app)
    storage.init_app(app)
    if not event.contains(Engine, "connect", _sqlite_pragmas):
        event.listen(Engine, "connect", _sqlite_pragmas)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    limiter.init_app(app)
    # Flask-Limiter says that its storage is unreachable on a logger of its own that has no
    # handler: send it to where the app logs (as Flask's logging docs suggest for libraries).
    # In JSON, the root logger's handler already writes it.
    if app.config["LOG_FORMAT"] != "json":
        logging.getLogger("flask-limiter").addHandler(default_handler)

    from workplan.jobs import mail as mail_jobs

    mail_jobs.init_app(app)

    from workplan.auth.services import load_user

    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message_category = "info"
    # Flashed when a page needs a signed-in person; translated when flashed (``str`` of the
    # lazy string), in the visitor's language.
    login_manager.login_message = lazy_gettext("Sign in to see this page.")
    login_manager.localize_callback = str


def register_blueprints(app: Flask) -> None:
    from workplan.auth.views import bp as auth_bp
    from workplan.dashboard.views import bp as dashboard_bp
    from workplan.health import bp as health_bp
    from workplan.history.views import bp as history_bp
    from workplan.mail.views import bp as outbox_bp
    from workplan.meetings.views import bp as meetings_bp
    from workplan.people.language import bp as language_bp
    from workplan.people.views import bp as people_bp
    from workplan.plan.edit_views import bp as plan_edit_bp
    from workplan.plan.views import bp as plan_bp
    from workplan.public.views import bp as public_bp
    from workplan.reporting.views import bp as reporting_bp
    from workplan.reports.views import bp as reports_bp
    from workplan.revisions.views import bp as revisions_bp

    app.register_blueprint(auth_bp)
    app.register_blueprint(plan_bp)
    app.register_blueprint(plan_edit_bp)
    app.register_blueprint(revisions_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(history_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(health_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(outbox_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(language_bp)

    from workplan import api

    api.init_app(app)


def register_cli(app: Flask) -> None:
    from workplan.cli import (
        backup_command,
        plan_cli,
        report_unreachable_database,
        restore_command,
        setup_command,
        users_cli,
    )
    from workplan.jobs.cli import jobs_cli, reports_cli
    from workplan.mail.cli import digests_cli, mail_cli, reminders_cli
    from workplan.meetings.cli import meetings_cli

    app.cli.add_command(plan_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(setup_command)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    for group in (mail_cli, reminders_cli, digests_cli, meetings_cli):
        app.cli.add_command(group)
    for command in app.cli.commands.values():
        report_unreachable_database(command)


def register_errorhandlers(app: Flask) -> None:
    from workplan import errors

    errors.register(app)


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        # A signed-in person's pages show entries others may not see: no browser or proxy
        # keeps them (e.g. for the next person at a shared computer). Downloads set their own.
        if (
            response.mimetype == "text/html"
            and "Cache-Control" not in response.headers
            and _signed_in()
        ):
            response.headers["Cache-Control"] = "no-store"
        return response


def _signed_in() -> bool:
    """Whether the request comes from a signed-in person, without a database query."""
    from flask import g, session

    user = g.get("_login_user")
    return "_user_id" in session or bool(user is not None and user.is_authenticated)


def register_template_helpers(app: Flask) -> None:
    from workplan import display, flashes, localised, permissions

    app.jinja_env.globals["can"] = permissions.can
    app.jinja_env.globals["messages_for"] = flashes.messages_for
    display.register(app)
    localised.register(app)
