"""WSGI entry point for production servers: `gunicorn lkk_web.wsgi:app` (configuration from the
environment, see docs/operations.md)."""
from . import create_app

app = create_app()
