"""Error pages are Dutch, carry no stack trace, and a failed request commits nothing."""

import sqlalchemy as sa
from flask import Flask

from config import TestingConfig
from wki import create_app
from wki.auth.models import User
from wki.core.auth import Role, public
from wki.core.extensions import db


def test_404_is_dutch(client):
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert 'lang="nl"' in body
    assert "Pagina niet gevonden" in body


def test_403_is_dutch(login_as):
    response = login_as(Role.VOORLICHTING).get("/beheer/")
    assert response.status_code == 403
    assert "Geen toegang" in response.get_data(as_text=True)


def test_405_is_dutch(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert "Niet toegestaan" in response.get_data(as_text=True)


def _app_with_failing_route(tmp_path) -> Flask:
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'errors.sqlite3'}"
        SECRET_KEY = "x" * 40
        SCHEDULER_LOCK_PATH = str(tmp_path / "lock")

    app = create_app(Config)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()

    @public
    def explode():
        db.session.add(User(email="half@example.nl", name="Half", password_hash="x"))
        db.session.flush()
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/ontploffen", "explode", explode)
    return app


def test_500_hides_the_error_and_rolls_back(tmp_path):
    """An unexpected error shows a Dutch page without the exception text, and nothing is written."""
    app = _app_with_failing_route(tmp_path)
    response = app.test_client().get("/ontploffen")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Er ging iets mis" in body
    assert "secret internal detail" not in body
    assert "Traceback" not in body
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
        db.engine.dispose()


def test_proxy_fix_uses_forwarded_address(tmp_path):
    """Behind one trusted proxy, the client's address (not the proxy's) is what throttling sees."""
    from flask import request

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        TRUSTED_PROXIES = 1

    app = create_app(Config)

    @public
    def whoami():
        return request.remote_addr or ""

    app.add_url_rule("/wie", "whoami", whoami)
    response = app.test_client().get("/wie", headers={"X-Forwarded-For": "203.0.113.7"},
                                      environ_base={"REMOTE_ADDR": "10.0.0.1"})
    assert response.get_data(as_text=True) == "203.0.113.7"
