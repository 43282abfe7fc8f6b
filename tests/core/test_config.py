"""config.py: the environment selector and production's refusal to start without real secrets.

Class attributes read the environment when ``config`` is imported, so these tests change the
environment and call ``validate()``/``create_app`` (which read it again), and one test starts a
production application in a fresh interpreter, where the import itself sees the environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import config
from config import (
    DEV_SECRET_KEY,
    Config,
    ConfigError,
    DevelopmentConfig,
    ProductionConfig,
    TestingConfig,
    get_config,
)
from wki import create_app

ROOT = Path(config.__file__).resolve().parent
GOOD_SECRET = "k" * 16 + "-een-echt-geheim-" + "9" * 16


@pytest.fixture
def prod_env(monkeypatch):
    """A clean production environment; validate() writes class attributes, which are restored."""
    for name in ("SECRET_KEY", "DATABASE_URL", "WKI_ENV", "FLASK_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", ProductionConfig.SECRET_KEY)
    monkeypatch.setattr(ProductionConfig, "SQLALCHEMY_DATABASE_URI", ProductionConfig.SQLALCHEMY_DATABASE_URI)
    return monkeypatch


class TestProductionValidate:
    def test_missing_secret_key_is_refused(self, prod_env):
        prod_env.setenv("DATABASE_URL", "postgresql+psycopg://wki@db/wki")
        with pytest.raises(ConfigError, match="SECRET_KEY ontbreekt of is te kort"):
            ProductionConfig.validate()

    def test_short_secret_key_is_refused(self, prod_env):
        prod_env.setenv("SECRET_KEY", "x" * 31)
        prod_env.setenv("DATABASE_URL", "postgresql+psycopg://wki@db/wki")
        with pytest.raises(ConfigError, match="minimaal 32 tekens"):
            ProductionConfig.validate()

    def test_the_development_key_is_refused(self, prod_env):
        prod_env.setenv("SECRET_KEY", "dev-only-not-secret")
        prod_env.setenv("DATABASE_URL", "postgresql+psycopg://wki@db/wki")
        with pytest.raises(ConfigError, match="SECRET_KEY"):
            ProductionConfig.validate()

    def test_missing_database_url_is_refused(self, prod_env):
        prod_env.setenv("SECRET_KEY", GOOD_SECRET)
        with pytest.raises(ConfigError, match="DATABASE_URL ontbreekt"):
            ProductionConfig.validate()

    def test_empty_database_url_is_refused(self, prod_env):
        prod_env.setenv("SECRET_KEY", GOOD_SECRET)
        prod_env.setenv("DATABASE_URL", "")
        with pytest.raises(ConfigError, match="DATABASE_URL ontbreekt"):
            ProductionConfig.validate()

    def test_real_secrets_are_accepted_and_used(self, prod_env):
        prod_env.setenv("SECRET_KEY", GOOD_SECRET)
        prod_env.setenv("DATABASE_URL", "postgresql+psycopg://wki@db/wki")
        ProductionConfig.validate()
        assert ProductionConfig.SECRET_KEY == GOOD_SECRET
        assert ProductionConfig.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://wki@db/wki"

    def test_a_secret_already_read_at_import_is_accepted(self, prod_env):
        """In production SECRET_KEY is set before ``config`` is imported, so Config.SECRET_KEY holds it too."""
        prod_env.setenv("SECRET_KEY", GOOD_SECRET)
        prod_env.setenv("DATABASE_URL", "postgresql+psycopg://wki@db/wki")
        prod_env.setattr(Config, "SECRET_KEY", GOOD_SECRET)
        ProductionConfig.validate()

    def test_create_app_refuses_to_start(self, prod_env):
        with pytest.raises(ConfigError):
            create_app(ProductionConfig)

    def test_create_app_picks_production_from_the_environment_and_refuses(self, prod_env):
        prod_env.setenv("WKI_ENV", "production")
        prod_env.setenv("SECRET_KEY", "te-kort")
        with pytest.raises(ConfigError, match="SECRET_KEY"):
            create_app()

    def test_other_environments_need_no_secrets(self, prod_env):
        DevelopmentConfig.validate()
        TestingConfig.validate()

    def test_a_configuration_without_any_key_is_refused(self, prod_env):
        class NoKey(Config):
            SECRET_KEY = None

        with pytest.raises(ConfigError, match="SECRET_KEY ontbreekt"):
            NoKey.validate()
        with pytest.raises(ConfigError, match="SECRET_KEY ontbreekt"):
            create_app(NoKey)

    def test_only_development_and_testing_fall_back_to_the_development_key(self):
        assert Config.SECRET_KEY != DEV_SECRET_KEY  # None, or the environment's own key
        assert ProductionConfig.SECRET_KEY != DEV_SECRET_KEY or os.environ.get("SECRET_KEY") == DEV_SECRET_KEY


class TestGetConfig:
    @pytest.fixture(autouse=True)
    def _clean(self, monkeypatch):
        monkeypatch.delenv("WKI_ENV", raising=False)
        monkeypatch.delenv("FLASK_ENV", raising=False)

    @pytest.mark.parametrize(("value", "expected"), [
        ("production", ProductionConfig),
        ("PRODUCTION", ProductionConfig),
        ("testing", TestingConfig),
        ("development", DevelopmentConfig),
        ("demo", DevelopmentConfig),
    ])
    def test_picks_by_wki_env(self, monkeypatch, value, expected):
        monkeypatch.setenv("WKI_ENV", value)
        assert get_config() is expected

    def test_no_environment_is_refused(self):
        """Issue 10, finding 7: no silent fallback to development and its known signing key."""
        with pytest.raises(ConfigError, match="WKI_ENV ontbreekt: kies de omgeving expliciet"):
            get_config()

    def test_a_blank_environment_is_refused(self, monkeypatch):
        monkeypatch.setenv("WKI_ENV", "  ")
        with pytest.raises(ConfigError, match="WKI_ENV ontbreekt"):
            get_config()

    def test_flask_env_is_honoured_and_wki_env_wins(self, monkeypatch):
        monkeypatch.setenv("FLASK_ENV", "production")
        assert get_config() is ProductionConfig
        monkeypatch.setenv("WKI_ENV", "testing")
        assert get_config() is TestingConfig

    def test_an_explicit_name_wins(self, monkeypatch):
        monkeypatch.setenv("WKI_ENV", "production")
        assert get_config("testing") is TestingConfig

    def test_unknown_environment_is_refused(self, monkeypatch):
        monkeypatch.setenv("WKI_ENV", "staging")
        with pytest.raises(ConfigError, match="Onbekende omgeving 'staging'; kies uit demo, development"):
            get_config()


class TestEnvironmentSettings:
    def test_production_is_strict(self):
        assert ProductionConfig.REQUIRE_TOTP is True
        assert ProductionConfig.SESSION_COOKIE_SECURE is True
        assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True
        assert ProductionConfig.SESSION_COOKIE_NAME.startswith("__Host-")
        assert ProductionConfig.DEMO_MODE is False
        assert ProductionConfig.PREFERRED_URL_SCHEME == "https"

    def test_demo_data_only_outside_production(self):
        assert DevelopmentConfig.DEMO_MODE is True
        assert TestingConfig.DEMO_MODE is True
        assert Config.DEMO_MODE is False

    def test_app_settings(self, app):
        assert app.config["TIMEZONE"] == "Europe/Amsterdam"
        assert app.config["LOCALE"] == "nl_NL"
        assert app.config["ENV_NAME"] == "testing"
        assert app.config["SESSION_COOKIE_HTTPONLY"] is True
        assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"

    def test_a_malformed_number_gives_a_clear_error(self, monkeypatch):
        monkeypatch.setenv("WKI_SESSION_IDLE_MINUTES", "dertig")
        with pytest.raises(ConfigError, match="WKI_SESSION_IDLE_MINUTES"):
            config._env_int("WKI_SESSION_IDLE_MINUTES", 30)

    @pytest.mark.parametrize(("raw", "expected"), [("1", True), ("ja", True), ("TRUE", True), ("on", True),
                                                    ("0", False), ("nee", False), ("", False)])
    def test_booleans(self, monkeypatch, raw, expected):
        monkeypatch.setenv("WKI_TEST_BOOL", raw)
        assert config._env_bool("WKI_TEST_BOOL", not expected) is expected


def _start_in_fresh_interpreter(env: dict[str, str]) -> subprocess.CompletedProcess:
    script = (
        "import json; from wki import create_app; app = create_app(); "
        "print(json.dumps({k: app.config[k] for k in ('ENV_NAME', 'REQUIRE_TOTP', 'SESSION_COOKIE_SECURE', "
        "'SESSION_COOKIE_NAME', 'DEMO_MODE', 'SQLALCHEMY_DATABASE_URI')} | {'secret': app.secret_key}))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WKI_", "SECRET_KEY", "DATABASE_URL", "FLASK_"))}
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=clean | env, capture_output=True, text=True,
                          timeout=60)


class TestStartWithoutEnvironment:
    """Issue 10, finding 7: with WKI_ENV unset the application ran as development with the source's key."""

    def test_create_app_refuses_without_an_environment(self, prod_env):
        with pytest.raises(ConfigError, match="WKI_ENV ontbreekt: kies de omgeving expliciet"):
            create_app()

    def test_a_fresh_process_refuses_without_an_environment(self, tmp_path):
        result = _start_in_fresh_interpreter({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
        assert result.returncode != 0
        assert "ConfigError: WKI_ENV ontbreekt" in result.stderr

    def test_a_fresh_process_refuses_without_an_environment_even_with_a_key(self, tmp_path):
        result = _start_in_fresh_interpreter({"SECRET_KEY": GOOD_SECRET,
                                              "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
        assert result.returncode != 0
        assert "ConfigError: WKI_ENV ontbreekt" in result.stderr

    def test_development_chosen_explicitly_still_starts(self, tmp_path):
        url = f"sqlite:///{tmp_path / 'dev.sqlite3'}"
        result = _start_in_fresh_interpreter({"WKI_ENV": "development", "DATABASE_URL": url})
        assert result.returncode == 0, result.stderr[-2000:]
        settings = json.loads(result.stdout.strip().splitlines()[-1])
        assert settings["ENV_NAME"] == "development" and settings["DEMO_MODE"] is True
        assert settings["secret"] == DEV_SECRET_KEY

    def test_development_uses_a_key_from_the_environment(self, tmp_path):
        url = f"sqlite:///{tmp_path / 'dev.sqlite3'}"
        result = _start_in_fresh_interpreter({"WKI_ENV": "development", "DATABASE_URL": url, "SECRET_KEY": GOOD_SECRET})
        assert result.returncode == 0, result.stderr[-2000:]
        assert json.loads(result.stdout.strip().splitlines()[-1])["secret"] == GOOD_SECRET

    def test_the_flask_command_says_why_without_a_traceback(self, tmp_path):
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("WKI_", "SECRET_KEY", "DATABASE_URL", "FLASK_"))}
        result = subprocess.run([sys.executable, "-m", "flask", "--app", "run", "routes"], cwd=ROOT, capture_output=True,
                                text=True, timeout=60, env=clean | {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
        assert result.returncode != 0
        assert "wki: WKI_ENV ontbreekt: kies de omgeving expliciet" in result.stderr
        assert "Traceback" not in result.stderr

    def test_run_script_chooses_development_explicitly(self):
        script = (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8")
        assert "WKI_ENV=" in script and "development" in script


class TestProductionStart:
    def test_starts_with_real_secrets_in_the_environment(self, tmp_path):
        url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
        result = _start_in_fresh_interpreter({"WKI_ENV": "production", "SECRET_KEY": GOOD_SECRET, "DATABASE_URL": url,
                                              "WKI_REQUIRE_TOTP": "0", "WKI_SECURE_COOKIES": "0"})
        assert result.returncode == 0, result.stderr[-2000:]
        settings = json.loads(result.stdout.strip().splitlines()[-1])
        assert settings == {
            "ENV_NAME": "production", "REQUIRE_TOTP": True, "SESSION_COOKIE_SECURE": True,
            "SESSION_COOKIE_NAME": "__Host-wki_session", "DEMO_MODE": False, "SQLALCHEMY_DATABASE_URI": url,
            "secret": GOOD_SECRET,
        }

    def test_refuses_to_start_without_secrets(self):
        result = _start_in_fresh_interpreter({"WKI_ENV": "production"})
        assert result.returncode != 0
        assert "ConfigError: SECRET_KEY ontbreekt" in result.stderr


@pytest.mark.parametrize("documents", ["same", "inside"])
def test_the_document_store_and_the_attachments_may_not_share_a_directory(tmp_path, documents):
    """Each store's housekeeping removes files its records do not name: a shared directory would lose files."""
    from config import DevelopmentConfig

    class Shared(DevelopmentConfig):
        SIGNAL_ATTACHMENT_DIR = str(tmp_path / "opslag")
        DOCUMENT_STORE_DIR = str(tmp_path / "opslag") if documents == "same" else str(tmp_path / "opslag" / "docs")

    with pytest.raises(ConfigError, match="dezelfde map"):
        Shared.validate()

    class Apart(DevelopmentConfig):
        SIGNAL_ATTACHMENT_DIR = str(tmp_path / "bijlagen")
        DOCUMENT_STORE_DIR = str(tmp_path / "documenten")

    Apart.validate()

    class EvidenceWithDocuments(Apart):
        EVIDENCE_STORE_DIR = str(tmp_path / "documenten" / "bewijs")

    with pytest.raises(ConfigError, match="WKI_DOCUMENT_STORE_DIR en WKI_EVIDENCE_STORE_DIR"):
        EvidenceWithDocuments.validate()


@pytest.mark.parametrize(("value", "expected"), [
    ("", {}), ('{"signaal": 4, "kwetsbaar": 0}', {"signaal": 4, "kwetsbaar": 0}),
])
def test_priority_weights_from_the_environment(monkeypatch, value, expected):
    import config

    monkeypatch.setenv("WKI_SUPERVISION_PRIORITY_WEIGHTS", value)
    assert config._env_weights("WKI_SUPERVISION_PRIORITY_WEIGHTS", {"signaal": 3, "kwetsbaar": 4}) == expected


@pytest.mark.parametrize(("value", "message"), [
    ("signaal=4", "moet een JSON-object zijn"), ("[4]", "moet een JSON-object zijn"),
    ('{"signalen": 4}', "onbekende gewichten: signalen"), ('{"signaal": -1}', "gehele getallen van 0 of meer"),
    ('{"signaal": 2.5}', "gehele getallen"), ('{"signaal": true}', "gehele getallen"),
])
def test_wrong_priority_weights_stop_the_start_with_a_dutch_message(monkeypatch, value, message):
    import config

    monkeypatch.setenv("WKI_SUPERVISION_PRIORITY_WEIGHTS", value)
    with pytest.raises(ConfigError, match=message):
        config._env_weights("WKI_SUPERVISION_PRIORITY_WEIGHTS", {"signaal": 3, "kwetsbaar": 4})
