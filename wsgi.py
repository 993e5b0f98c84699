"""Entry point for gunicorn: ``gunicorn wsgi:app``."""

from workplan import create_app

app = create_app()
