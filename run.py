"""Entry point: ``flask --app run ...`` and the WSGI object for gunicorn (``run:app``)."""

from wki import create_app
from wki.extensions import db

app = create_app()


@app.shell_context_processor
def make_shell_context() -> dict:
    from wki import models

    return {"db": db, "models": models}
