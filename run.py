"""Entry point: ``flask --app run ...`` and the WSGI object for gunicorn (``run:app``)."""

from config import ConfigError
from wki import create_app
from wki.core.extensions import db

try:
    app = create_app()
except ConfigError as error:  # a message for the person who started it, not a traceback
    raise SystemExit(f"wki: {error}") from None


@app.shell_context_processor
def make_shell_context() -> dict:
    from wki import models

    return {"db": db, "models": models}
