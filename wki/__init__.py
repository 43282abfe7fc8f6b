"""The wki application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from config import Config, get_config

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class: type[Config] | None = None) -> Flask:
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
    from wki.extensions import csrf, db, login_manager, migrate

    db_setup.configure_engine_options(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        db_setup.install_engine_events(db.engine)

    from wki import models  # noqa: F401  (every model known to Alembic and the shell)
    from wki.core import web

    web.init_app(app)

    from wki.admin import bp as admin_bp
    from wki.auth import bp as auth_bp
    from wki.dashboard import bp as dashboard_bp
    from wki.register import bp as register_bp
    from wki.sections import bp as sections_bp
    from wki.signals import api_bp as signals_api_bp
    from wki.signals import bp as signals_bp
    from wki.signals import partners_bp

    app.register_blueprint(dashboard_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(sections_bp)
    app.register_blueprint(register_bp)
    app.register_blueprint(signals_bp)
    app.register_blueprint(signals_api_bp)
    app.register_blueprint(partners_bp)

    # Queued work (``flask worker run``): each feature registers the kinds of work it queues.
    from wki.register.services import register_work as register_register_work
    from wki.scheduler import register_work as register_job_work
    from wki.signals.work import register_work

    register_work()
    register_register_work()
    register_job_work()  # "Nu uitvoeren" (Beheer → Taken): registered beside the job registry, not in core

    from wki.core.cli import register_cli
    from wki.core.worker_cli import worker_cli

    register_cli(app)
    app.cli.add_command(worker_cli)
    return app
