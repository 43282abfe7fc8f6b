"""Configuration: one class per environment, every setting read from the environment.

The environment is chosen by ``WKI_ENV`` (``FLASK_ENV`` is honoured for habit's sake); there is no
default, so an installation that forgot to say which it is never starts as development with the known
development signing key. Production refuses to start without a real ``SECRET_KEY`` and ``DATABASE_URL``.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe or incomplete for the chosen environment."""


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise ConfigError(f"{name} moet een geheel getal zijn, niet {value!r}.") from None


def _env_weights(name: str, known: dict[str, int]) -> dict[str, int]:
    """Weights given as a JSON object in the environment: known names only, whole numbers of 0 or more."""
    value = os.environ.get(name)
    if value in (None, ""):
        return {}
    try:
        given = json.loads(value)
    except ValueError:
        raise ConfigError(f"{name} moet een JSON-object zijn, zoals {{\"signaal\": 4}}.") from None
    if not isinstance(given, dict):
        raise ConfigError(f"{name} moet een JSON-object zijn, zoals {{\"signaal\": 4}}.")
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise ConfigError(f"{name} noemt onbekende gewichten: {', '.join(unknown)} (bekend: {', '.join(known)}).")
    bad = sorted(k for k, v in given.items() if not isinstance(v, int) or isinstance(v, bool) or v < 0)
    if bad:
        raise ConfigError(f"{name}: de gewichten {', '.join(bad)} moeten gehele getallen van 0 of meer zijn.")
    return given


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise ConfigError(f"{name} moet een getal zijn, niet {value!r}.") from None


def _env_json_mapping(name: str) -> dict[str, dict[str, str]]:
    """A JSON object of objects from ``NAME`` or from the file named by ``NAME_FILE``; empty if neither."""
    text = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if not text and path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{name}_FILE: {path} is niet te lezen ({exc.strerror}).") from None
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        raise ConfigError(f"{name} is geen geldige JSON.") from None
    if not isinstance(value, dict) or not all(
        isinstance(m, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in m.items())
        for m in value.values()
    ):
        raise ConfigError(f'{name} moet de vorm {{"register": {{"kolom in bestand": "kolom"}}}} hebben.')
    return value


def default_sqlite_url() -> str:
    return f"sqlite:///{INSTANCE_DIR / 'wki.sqlite3'}"


# Signs sessions in development and testing only, when SECRET_KEY is not set; production refuses it
# (ProductionConfig.validate), and no environment falls back to it unless chosen explicitly.
DEV_SECRET_KEY = "dev-only-not-secret"


class Config:
    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or default_sqlite_url()
    # wki/core/db_setup.py adds what depends on the database: for PostgreSQL a connect timeout
    # (DB_CONNECT_TIMEOUT_SECONDS), so that a server that accepts but never answers cannot hang a request.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    DB_CONNECT_TIMEOUT_SECONDS = _env_int("WKI_DB_CONNECT_TIMEOUT_SECONDS", 5)
    # /healthz gives the database this long (statement timeout on PostgreSQL, busy timeout on SQLite).
    HEALTH_DB_TIMEOUT_SECONDS = _env_float("WKI_HEALTH_DB_TIMEOUT_SECONDS", 3.0)
    SQLALCHEMY_RECORD_QUERIES = False

    # Sessions: an idle session ends after SESSION_IDLE_MINUTES, any session after SESSION_MAX_HOURS.
    SESSION_IDLE_MINUTES = _env_int("WKI_SESSION_IDLE_MINUTES", 30)
    SESSION_MAX_HOURS = _env_int("WKI_SESSION_MAX_HOURS", 10)
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=SESSION_IDLE_MINUTES)
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_COOKIE_NAME = "wki_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("WKI_SECURE_COOKIES", False)
    REMEMBER_COOKIE_DURATION = timedelta(seconds=0)

    WTF_CSRF_TIME_LIMIT = 3600 * 4
    # Use WTForms' own Dutch translations (BaseForm.Meta.locales) rather than Flask-Babel.
    WTF_I18N_ENABLED = False
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    # Static assets are versioned by the install step; let browsers keep them for an hour.
    SEND_FILE_MAX_AGE_DEFAULT = 3600
    # Number of reverse proxies in front of the app whose X-Forwarded-For is trusted (0: none). Needed so
    # that per-address log-in throttling sees the client's address, not the proxy's.
    TRUSTED_PROXIES = _env_int("WKI_TRUSTED_PROXIES", 0)

    # Second factor: required everywhere except where an environment switches it off.
    REQUIRE_TOTP = _env_bool("WKI_REQUIRE_TOTP", True)
    TOTP_ISSUER = "Inspectie JenV - Wki"

    # Log-in throttling: failures within the window lock the account (by e-mail) or the address.
    LOGIN_WINDOW_MINUTES = _env_int("WKI_LOGIN_WINDOW_MINUTES", 15)
    LOGIN_MAX_FAILURES_PER_ACCOUNT = _env_int("WKI_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
    LOGIN_MAX_FAILURES_PER_ADDRESS = _env_int("WKI_LOGIN_MAX_FAILURES_PER_ADDRESS", 20)
    LOGIN_LOCK_MINUTES = _env_int("WKI_LOGIN_LOCK_MINUTES", 15)
    PASSWORD_MIN_LENGTH = 12

    # Demo accounts and demo data exist only where this is true.
    DEMO_MODE = False

    TIMEZONE = "Europe/Amsterdam"
    LOCALE = "nl_NL"
    LOG_FORMAT = os.environ.get("WKI_LOG_FORMAT", "json")
    LOG_LEVEL = os.environ.get("WKI_LOG_LEVEL", "INFO")

    # Jobs whose last success is older than this many hours make /healthz report "degraded".
    JOB_MAX_AGE_HOURS: dict[str, int] = {"housekeeping": 48}
    SCHEDULER_LOCK_PATH = os.environ.get("WKI_SCHEDULER_LOCK", str(INSTANCE_DIR / "scheduler.lock"))
    # How often a scheduler standing by asks for the lock (how long the jobs wait when the active one dies).
    SCHEDULER_STANDBY_SECONDS = _env_float("WKI_SCHEDULER_STANDBY_SECONDS", 30.0)

    # Register mirror (wki/register). Column mapping per dataset ("register", "vrijgestelden"): file header
    # -> canonical column, for exports that name columns differently; JSON in WKI_REGISTER_COLUMN_MAPPING
    # or in the file that WKI_REGISTER_COLUMN_MAPPING_FILE names.
    REGISTER_COLUMN_MAPPING: dict[str, dict[str, str]] = _env_json_mapping("WKI_REGISTER_COLUMN_MAPPING")
    # A snapshot that would remove more than this share of current registrations is quarantined.
    REGISTER_MAX_REMOVAL_SHARE = _env_float("WKI_REGISTER_MAX_REMOVAL_SHARE", 0.10)
    # How long a second import waits for the one running before it is refused.
    REGISTER_IMPORT_LOCK_WAIT_SECONDS = _env_int("WKI_REGISTER_IMPORT_LOCK_WAIT_SECONDS", 60)
    # The dashboard and /healthz warn when the last successful sync is older than this.
    REGISTER_SYNC_MAX_AGE_HOURS = _env_int("WKI_REGISTER_SYNC_MAX_AGE_HOURS", 48)
    # Scheduled sync (wki/register/sync.py): where each dataset is fetched from (a file path, a file://
    # URL or an http(s) URL; empty: not configured, the job fails and says so), its format ("csv",
    # "json"; empty: from the Content-Type or the extension, csv by default), and when the job runs
    # (local time, TIMEZONE). The exempt list runs a quarter of an hour later, so the two do not usually
    # wait for each other's import lock.
    REGISTER_SYNC_SOURCE = os.environ.get("WKI_REGISTER_SYNC_SOURCE", "").strip()
    REGISTER_SYNC_FORMAT = os.environ.get("WKI_REGISTER_SYNC_FORMAT", "").strip().lower()
    REGISTER_SYNC_HOUR = _env_int("WKI_REGISTER_SYNC_HOUR", 2)
    REGISTER_SYNC_MINUTE = _env_int("WKI_REGISTER_SYNC_MINUTE", 30)
    EXEMPT_SYNC_SOURCE = os.environ.get("WKI_EXEMPT_SYNC_SOURCE", "").strip()
    EXEMPT_SYNC_FORMAT = os.environ.get("WKI_EXEMPT_SYNC_FORMAT", "").strip().lower()
    EXEMPT_SYNC_HOUR = _env_int("WKI_EXEMPT_SYNC_HOUR", 2)
    EXEMPT_SYNC_MINUTE = _env_int("WKI_EXEMPT_SYNC_MINUTE", 45)
    # Fetching over HTTP, for both datasets: connect and read timeouts, the largest file accepted (the
    # download stops there), and attempts with exponential back-off (delay, 2x delay, ...) after a
    # connection error, a timeout, or a 5xx/429 answer; never after another 4xx.
    REGISTER_SYNC_CONNECT_TIMEOUT_SECONDS = _env_float("WKI_REGISTER_SYNC_CONNECT_TIMEOUT_SECONDS", 10.0)
    REGISTER_SYNC_READ_TIMEOUT_SECONDS = _env_float("WKI_REGISTER_SYNC_READ_TIMEOUT_SECONDS", 60.0)
    REGISTER_SYNC_MAX_BYTES = _env_int("WKI_REGISTER_SYNC_MAX_BYTES", 200 * 1024 * 1024)
    REGISTER_SYNC_ATTEMPTS = _env_int("WKI_REGISTER_SYNC_ATTEMPTS", 3)
    REGISTER_SYNC_RETRY_DELAY_SECONDS = _env_float("WKI_REGISTER_SYNC_RETRY_DELAY_SECONDS", 5.0)

    # Signals (wki/signals). Attachments (the collector's letter, PDF or image) are stored content-addressed
    # (by SHA-256) in this directory, never overwritten; larger files are refused.
    SIGNAL_ATTACHMENT_DIR = os.environ.get("WKI_SIGNAL_ATTACHMENT_DIR", str(INSTANCE_DIR / "bijlagen"))
    SIGNAL_ATTACHMENT_MAX_BYTES = _env_int("WKI_SIGNAL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
    # How often the re-matching job looks whether the mirror changed (then every open signal is judged again).
    SIGNAL_REMATCH_MINUTES = _env_int("WKI_SIGNAL_REMATCH_MINUTES", 10)

    # Documents (wki/documents). Issued PDFs are stored content-addressed (by SHA-256) in this directory and
    # never overwritten; the sender, contact person and signatory fill the house style's fixed parts.
    DOCUMENT_STORE_DIR = os.environ.get("WKI_DOCUMENT_STORE_DIR", str(INSTANCE_DIR / "documenten"))
    # Evidence gathered in inspections (files agencies hand in, screenshots), content-addressed like documents.
    EVIDENCE_STORE_DIR = os.environ.get("WKI_EVIDENCE_STORE_DIR", str(INSTANCE_DIR / "bewijs"))
    EVIDENCE_MAX_BYTES = _env_int("WKI_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)
    # Files kept with enforcement cases (a written view, minutes of a conversation), content-addressed too.
    CASE_STORE_DIR = os.environ.get("WKI_CASE_STORE_DIR", str(INSTANCE_DIR / "zaken"))

    # Retention of personal data (wki/privacy): per kind of record, how many months after what starts it the
    # nightly job ("privacy-retention") removes the debtors' personal data, and the legal basis it names.
    # The bases marked "(te verifiëren)" have not been checked against the selectielijst by the Inspectie.
    RETENTION: dict[str, dict[str, Any]] = {
        "signaal": {
            "months": _env_int("WKI_RETENTION_SIGNAL_MONTHS", 24),
            "start": "het afsluiten van het signaal",
            "basis": "AVG art. 5 lid 1 sub e (opslagbeperking); Archiefwet 1995 en selectielijst JenV "
                     "(te verifiëren)",
        },
        "zaak": {
            "months": _env_int("WKI_RETENTION_CASE_MONTHS", 84),
            "start": "het afronden of sluiten van de handhavingszaak",
            "basis": "AVG art. 5 lid 1 sub e; Archiefwet 1995 en selectielijst JenV: handhavingsdossiers "
                     "(te verifiëren); uitgegeven besluiten blijven als archiefstuk bewaard",
        },
        "signaalimport": {
            "months": _env_int("WKI_RETENTION_IMPORT_MONTHS", 12),
            "start": "de import van het bestand",
            "basis": "AVG art. 5 lid 1 sub c en e: de afgewezen regels zijn alleen nodig om de import te "
                     "herstellen (te verifiëren)",
        },
    }
    # Records per transaction of the retention job: a crash leaves a batch wholly done or wholly not.
    RETENTION_BATCH = _env_int("WKI_RETENTION_BATCH", 500)
    DOCUMENT_SENDER = {
        "organisatie": "Inspectie Justitie en Veiligheid",
        "ministerie": "Ministerie van Justitie en Veiligheid",
        "postadres": ["Postbus 20301", "2500 EH  Den Haag"],
        "bezoekadres": ["Turfmarkt 147", "2511 DP  Den Haag"],
        "website": "www.inspectie-jenv.nl",
        "retouradres": "Postbus 20301, 2500 EH  Den Haag",
    }
    DOCUMENT_CONTACT = {
        "naam": os.environ.get("WKI_DOCUMENT_CONTACT_NAME", "Team Toezicht Incassodienstverlening"),
        "telefoon": os.environ.get("WKI_DOCUMENT_CONTACT_PHONE", "070 370 70 70"),
        "email": os.environ.get("WKI_DOCUMENT_CONTACT_EMAIL", "wki@inspectie-jenv.nl"),
    }
    DOCUMENT_SIGNATORY = {
        "naam": os.environ.get("WKI_DOCUMENT_SIGNATORY_NAME", "De Inspecteur-Generaal Justitie en Veiligheid"),
        "functie": os.environ.get("WKI_DOCUMENT_SIGNATORY_ROLE", ""),
    }
    # Enforcement documents (wki/enforcement/decisions.py). Where an objection goes (Awb 6:5, 3:45): the
    # Minister, at the Inspectie's address. The authorities enforcement writes to (a request to strike a
    # registration, a criminal report, a referral): name, t.a.v. and address lines. These defaults are the
    # organisations' general postal addresses as known when this was written (not verified against their
    # sites): an administrator confirms them before the first letter goes out.
    ENFORCEMENT_OBJECTION_ADDRESS = {
        "naam": "De Minister van Justitie en Veiligheid",
        "t_a_v": "Inspectie Justitie en Veiligheid, Team Toezicht Incassodienstverlening",
        "adresregels": ["Postbus 20301", "2500 EH  Den Haag"],
    }
    ENFORCEMENT_RECIPIENTS = {
        "justis": {"naam": "Justis", "t_a_v": "Register incassodienstverlening",
                   "adresregels": ["Postbus 20300", "2500 EH  Den Haag"]},
        "om": {"naam": "Openbaar Ministerie", "t_a_v": "Functioneel Parket",
               "adresregels": ["Postbus 20305", "2500 EH  Den Haag"]},
        "bft": {"naam": "Bureau Financieel Toezicht", "t_a_v": None,
                "adresregels": ["Postbus 14052", "3508 SC  Utrecht"]},
        "deken": {"naam": "Nederlandse Orde van Advocaten", "t_a_v": "De deken van de orde van advocaten",
                  "adresregels": ["Postbus 30851", "2500 GW  Den Haag"]},
    }
    # The signature of enforcement documents: decisions are taken on behalf of the Minister.
    ENFORCEMENT_SIGNATORY = {
        "groet": "De Minister van Justitie en Veiligheid, namens deze,",
        "naam": os.environ.get("WKI_DOCUMENT_SIGNATORY_NAME", "De Inspecteur-Generaal Justitie en Veiligheid"),
        "functie": os.environ.get("WKI_DOCUMENT_SIGNATORY_ROLE", ""),
    }
    # Mass mailings: recipients a worker claims at a time, and how many parts a run is split into (each a
    # queued work item; as many worker processes as parts work on one mailing at once).
    # Worker processes `flask worker run` starts side by side (0: one per core).
    WORKER_PROCESSES = _env_int("WKI_WORKER_PROCESSES", 0)
    MAILING_CLAIM_BATCH = _env_int("WKI_MAILING_CLAIM_BATCH", 10)
    MAILING_PARTS = _env_int("WKI_MAILING_PARTS", 4)
    # Outgoing e-mail (a mailing's letters as attachments). Empty MAIL_SERVER: mailings go by post only.
    MAIL_SERVER = os.environ.get("WKI_MAIL_SERVER", "")
    MAIL_PORT = _env_int("WKI_MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("WKI_MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("WKI_MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("WKI_MAIL_PASSWORD", "")
    MAIL_FROM = os.environ.get("WKI_MAIL_FROM", "Inspectie Justitie en Veiligheid <wki@inspectie-jenv.nl>")
    MAIL_TIMEOUT_SECONDS = _env_float("WKI_MAIL_TIMEOUT_SECONDS", 30.0)

    # How long a process may reuse the priorities it computed while nothing they are computed from changed
    # (wki/supervision/priorities.py, cached_priorities); 0: compute them for every page.
    SUPERVISION_PRIORITY_CACHE_SECONDS = _env_int("WKI_SUPERVISION_PRIORITY_CACHE_SECONDS", 300)
    # How often the scheduler computes the planning page's priorities for the web processes (job
    # supervision-priorities); keep it well under the cache's seconds, so a stored list is always young enough.
    # Job runs older than this are removed by housekeeping (each job's newest success stays).
    JOB_RUN_KEEP_DAYS = _env_int("WKI_JOB_RUN_KEEP_DAYS", 90)
    SUPERVISION_PRIORITY_REFRESH_MINUTES = _env_int("WKI_SUPERVISION_PRIORITY_REFRESH_MINUTES", 2)
    # The counts over all signals above the signal list and on the dashboard, kept per process: a new signal,
    # matching, decision or register import shows at once (wki/signals/counts_cache.py), anything else (a
    # status changed in another process) after at most this many seconds. 0: counted on every view.
    SIGNALS_COUNTS_CACHE_SECONDS = _env_int("WKI_SIGNALS_COUNTS_CACHE_SECONDS", 30)
    # Supervision (wki/supervision/priorities.py): the points each risk factor adds to an agency's priority.
    # Whole numbers; a factor set to 0 no longer counts. The planning page and `flask supervision
    # priorities` explain every score with the points of each factor. WKI_SUPERVISION_PRIORITY_WEIGHTS (JSON,
    # e.g. {"signaal": 4, "kwetsbaar": 6}) changes some of them without a code change.
    SUPERVISION_PRIORITY_WEIGHTS: dict[str, int] = {
        "signaal": 3,  # per signal about the agency in the last 12 months
        "signalen_max": 45,  # at most this many points for the number of signals together
        "recent_signaal": 10,  # the last signal at most 90 days before the day of the priority
        "bron": 3,  # per further distinct source of its signals (reports from several sides weigh more)
        "bik_overschrijding": 5,  # per signal with collection costs above the BIK maximum plus VAT
        "kwetsbaar": 4,  # per signal about a vulnerable debtor
        "bevinding_voldoet_niet": 8,  # per `voldoet niet` judgement in a completed inspection
        "bevinding_deels": 4,  # per `deels` judgement in a completed inspection
        "handhaving": 1,  # multiplies the points the enforcement history contributes (slot RISK_FACTORS)
        "jonge_registratie": 10,  # registered at most 365 days before: no track record yet
        "geldigheid_loopt_af": 10,  # validity (geldig_tot) ends within 90 days, or has ended, without renewal
        "nooit_geinspecteerd": 25,  # never inspected (counts more than any time since an inspection)
        "jaar_sinds_inspectie": 6,  # per full year since the last completed inspection (below the above)
    }
    SUPERVISION_PRIORITY_WEIGHTS = {**SUPERVISION_PRIORITY_WEIGHTS,
                                    **_env_weights("WKI_SUPERVISION_PRIORITY_WEIGHTS", SUPERVISION_PRIORITY_WEIGHTS)}

    @classmethod
    def validate(cls) -> None:
        """Check the configuration; environments with stricter needs override this."""
        if not cls.SECRET_KEY:
            raise ConfigError("SECRET_KEY ontbreekt: zet SECRET_KEY in de omgeving.")
        cls.validate_stores()
        cls.validate_retention()

    # The kinds of record the retention job knows (wki/privacy/retention.py) and their environment variables.
    RETENTION_ENV = {"signaal": "WKI_RETENTION_SIGNAL_MONTHS", "zaak": "WKI_RETENTION_CASE_MONTHS",
                     "signaalimport": "WKI_RETENTION_IMPORT_MONTHS"}

    @classmethod
    def validate_retention(cls) -> None:
        """Every kind has a period of at least one month, what starts it, and its legal basis."""
        if set(cls.RETENTION) != set(cls.RETENTION_ENV):
            raise ConfigError("RETENTION moet precies deze soorten noemen: " + ", ".join(sorted(cls.RETENTION_ENV)))
        for kind, rule in cls.RETENTION.items():
            months = rule.get("months")
            if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 1200:
                raise ConfigError(f"{cls.RETENTION_ENV[kind]}: de bewaartermijn van ‘{kind}’ moet een geheel "
                                  f"aantal maanden van 1 tot en met 1200 zijn, niet {months!r}.")
            if not str(rule.get("basis") or "").strip() or not str(rule.get("start") or "").strip():
                raise ConfigError(f"RETENTION[{kind!r}] mist de wettelijke grondslag of het begin van de termijn.")

    @classmethod
    def validate_stores(cls) -> None:
        """The content stores must not share a directory: each store's housekeeping removes the files its own
        records do not name, so a shared directory would lose the other store's files."""
        stores = {"WKI_DOCUMENT_STORE_DIR": cls.DOCUMENT_STORE_DIR, "WKI_SIGNAL_ATTACHMENT_DIR": cls.SIGNAL_ATTACHMENT_DIR,
                  "WKI_EVIDENCE_STORE_DIR": cls.EVIDENCE_STORE_DIR, "WKI_CASE_STORE_DIR": cls.CASE_STORE_DIR}
        resolved = [(n, Path(d).resolve()) for n, d in stores.items()]
        for index, (name_a, a) in enumerate(resolved):
            for name_b, b in resolved[index + 1:]:
                if a == b or a in b.parents or b in a.parents:
                    raise ConfigError(f"{name_a} en {name_b} wijzen naar dezelfde map ({a}, {b}); geef elke opslag "
                                      "een eigen map, anders ruimt de een de bestanden van de ander op.")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SECRET_KEY = Config.SECRET_KEY or DEV_SECRET_KEY
    DEMO_MODE = True
    REQUIRE_TOTP = _env_bool("WKI_REQUIRE_TOTP", False)
    LOG_FORMAT = os.environ.get("WKI_LOG_FORMAT", "text")
    # The demo seed writes its last register and exempt-list files here, and the sync jobs read them,
    # so that the scheduled sync has a source (and succeeds) in the demo as well.
    DEMO_SYNC_DIR = str(INSTANCE_DIR / "demo-bron")
    REGISTER_SYNC_SOURCE = Config.REGISTER_SYNC_SOURCE or str(INSTANCE_DIR / "demo-bron" / "register.csv")
    EXEMPT_SYNC_SOURCE = Config.EXEMPT_SYNC_SOURCE or str(INSTANCE_DIR / "demo-bron" / "vrijgestelden.csv")


class TestingConfig(Config):
    ENV_NAME = "testing"
    SECRET_KEY = Config.SECRET_KEY or DEV_SECRET_KEY
    TESTING = True
    DEMO_MODE = True
    REQUIRE_TOTP = False
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    LOG_FORMAT = "text"
    LOG_LEVEL = "WARNING"
    SERVER_NAME = None
    # One worker process: a test's data is in its own transaction, which a forked process cannot see.
    # The pool is tested on its own (tests/core/test_worker_pool.py).
    WORKER_PROCESSES = 1
    # No cached priorities: a rolled-back test's rows may come back with the same ids (tested on its own).
    SUPERVISION_PRIORITY_CACHE_SECONDS = 0
    SIGNALS_COUNTS_CACHE_SECONDS = 0


class ProductionConfig(Config):
    ENV_NAME = "production"
    DEMO_MODE = False
    REQUIRE_TOTP = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-wki_session"
    PREFERRED_URL_SCHEME = "https"
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "")

    @classmethod
    def validate(cls) -> None:
        secret = os.environ.get("SECRET_KEY", "")
        # Compare with the development key itself, not with Config.SECRET_KEY: that attribute was read
        # from the same environment at import, so it equals any real key and would refuse them all.
        if len(secret) < 32 or secret == DEV_SECRET_KEY:
            raise ConfigError("SECRET_KEY ontbreekt of is te kort (minimaal 32 tekens) voor productie.")
        if not os.environ.get("DATABASE_URL"):
            raise ConfigError("DATABASE_URL ontbreekt: productie draait niet op een standaarddatabase.")
        cls.SECRET_KEY = secret
        cls.SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]
        cls.validate_stores()


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "demo": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    """Return the configuration class for ``name`` or for ``WKI_ENV``/``FLASK_ENV``; refuse if neither is set.

    Falling back to development would start any installation that forgot ``WKI_ENV`` with demo
    accounts and a signing key anyone can read in the source, with which anyone can forge a session.
    """
    key = (name or os.environ.get("WKI_ENV") or os.environ.get("FLASK_ENV") or "").strip().lower()
    if not key:
        raise ConfigError(
            "WKI_ENV ontbreekt: kies de omgeving expliciet. WKI_ENV=production (met SECRET_KEY en "
            "DATABASE_URL) voor echt gebruik, WKI_ENV=development voor ontwikkeling met demogegevens "
            "(bash scripts/run.sh zet dat zelf)."
        )
    try:
        return CONFIGS[key]
    except KeyError:
        raise ConfigError(f"Onbekende omgeving {key!r}; kies uit {', '.join(sorted(CONFIGS))}.") from None
