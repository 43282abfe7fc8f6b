"""The wki application factory."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask

from config import Config, get_config

if TYPE_CHECKING:
    from wki.core.features import Feature

ROOT = Path(__file__).resolve().parent.parent

# The features, each a package declaring ``feature = Feature(...)`` (wki/core/features.py). Adding one is adding
# its name here; see README.md, "How to add a feature".
FEATURES: tuple[str, ...] = (
    "wki.auth",
    "wki.dashboard",
    "wki.admin",
    "wki.register",
    "wki.signals",
    "wki.documents",
    "wki.supervision",
    "wki.enforcement",
    "wki.privacy",
)


def create_app(config_class: type[Config] | None = None, *, extra_features: Iterable[Feature | str] = ()) -> Flask:
    """The application. ``extra_features`` are installed after ``FEATURES`` (the tests' throwaway feature)."""
    config_class = config_class or get_config()
    config_class.validate()

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config_class)
    app.config["ENV_NAME"] = config_class.ENV_NAME
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    from wki.core import logging as wki_logging

    wki_logging.configure(app)

    from wki.core import db_setup
    from wki.core.extensions import csrf, db, login_manager, migrate

    db_setup.configure_engine_options(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        db_setup.install_engine_events(db.engine)

    from wki.core import features, web

    web.init_app(app)
    # Core first (its tables, the housekeeping job), then the features in the order of the navigation's
    # sections; the placeholder sections last (they stand in only for sections no feature declared).
    features.install(app, ["wki.core.setup", *FEATURES, *extra_features, "wki.sections"])

    from wki.cli import register_cli

    register_cli(app)
    return app
