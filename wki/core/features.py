"""The feature contract: how a feature joins the application, and the registry of what the features brought.

A feature is a package under ``wki/`` that declares one ``feature = Feature(...)`` in its ``__init__.py``:
its blueprints, its entry in the navigation (with the roles that see it), the modules holding its models,
its scheduled jobs, what it contributes to other pages (dashboard tiles, panels on a registration's or a
suspect's page: by *slot*), its housekeeping tasks, health checks, links on the administration pages, CLI
groups, its audit vocabulary, and a ``setup(app)`` for anything else it hooks in (kinds of queued work).
``create_app`` installs the features listed in ``wki.FEATURES``; core reads what they brought from the
registry below and never imports a feature itself.

The registry belongs to the application (``app.extensions``), not to a module: two applications in one
process (the tests make many) never see each other's contributions, and installing a feature twice is
impossible rather than guarded against.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, current_app

from wki.core import audit
from wki.core.auth import Role, user_has_any_role
from wki.core.status import LabelledEnum

if TYPE_CHECKING:
    import click

EXTENSION_KEY = "wki.features"

# Where features contribute to pages they do not own. Each slot's providers are called with the slot's
# arguments and return what the slot shows.
DASHBOARD = "dashboard"  # provider(user) -> list[Tile]
REGISTRATION_PAGE = "registration"  # provider(registratienummer, version, user) -> Panel | None
SUSPECT_PAGE = "suspect"  # provider(suspect, user) -> Panel | None
RECIPIENTS = "recipients"  # provider() -> RecipientSource: parties a mass mailing can be sent to
# provider(as_of: date) -> dict[registratienummer, list[(points, Dutch reason)]]: what a feature adds to the
# risk-based priority of registered agencies (supervision reads it; enforcement's history contributes).
RISK_FACTORS = "risk"
SLOTS = (DASHBOARD, REGISTRATION_PAGE, SUSPECT_PAGE, RECIPIENTS, RISK_FACTORS)


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    func: Callable[[], dict[str, Any] | None]
    trigger: str  # "cron" or "interval"
    trigger_args: dict[str, Any] = field(default_factory=dict)
    max_age_hours: int = 48
    # Trigger arguments read from the app's configuration at start (argument -> config key); they
    # override ``trigger_args``, which hold the defaults.
    config_trigger_args: dict[str, str] = field(default_factory=dict)
    # What running the job changes (Dutch), asked to be confirmed before an administrator runs it now
    # (Beheer → Taken); None for jobs that only recompute what the schedule recomputes anyway. A callable is
    # asked when the text is shown (the housekeeping job's depends on the installed features' tasks).
    confirmation: str | Callable[[], str] | None = None
    # The job's status when its own runs are not the whole story (a sync's list is also imported by hand,
    # or approved from quarantine): a dict like ``register.services.sync_freshness``'s. Everything that shows
    # or acts on freshness (Beheer, the dashboard, ``flask scheduler list``, missed runs) reads it through
    # ``core.jobs.job_freshness``.
    freshness: Callable[[], dict[str, Any]] | None = None

    def schedule(self, config: Mapping[str, Any]) -> dict[str, Any]:
        """The trigger arguments with the configured values filled in."""
        args = dict(self.trigger_args)
        for name, key in self.config_trigger_args.items():
            if config.get(key) is not None:
                args[name] = config[key]
        return args

    def confirmation_text(self) -> str | None:
        return self.confirmation() if callable(self.confirmation) else self.confirmation


@dataclass(frozen=True)
class NavEntry:
    """A section in the main navigation: shown to users holding one of ``roles``."""

    key: str
    label: str
    endpoint: str
    roles: frozenset[Role]
    order: int = 100


@dataclass(frozen=True)
class AdminLink:
    """A link in the administration's sub-navigation (Beheer)."""

    label: str
    endpoint: str
    # Endpoints starting with this mark the link as the current page (None: only ``endpoint`` itself).
    current_prefix: str | None = None
    order: int = 100
    # What the page is for (Dutch), shown with the link on Beheer's overview; None: only in the sub-navigation.
    description: str | None = None

    def is_current(self, endpoint: str | None) -> bool:
        if not endpoint:
            return False
        return endpoint.startswith(self.current_prefix) if self.current_prefix else endpoint == self.endpoint


@dataclass(frozen=True)
class HousekeepingTask:
    """Removes short-lived records or stray files; run by the nightly housekeeping job."""

    key: str  # the count's name in the job's result, e.g. "losse_bijlagen_verwijderd"
    what: str  # what it removes, in Dutch, for the confirmation before running it by hand
    run: Callable[[], int]


@dataclass(frozen=True)
class HealthCheck:
    """A freshness figure reported by ``/healthz``: ``check()`` returns a dict with ``last_success``,
    ``age_seconds``, ``max_age_hours`` and ``stale``; a stale one makes the status "degraded"."""

    name: str
    check: Callable[[], dict[str, Any]]


@dataclass(frozen=True)
class Tile:
    """A count on the dashboard that links to the list behind it."""

    section: str
    label: str
    count: int
    url: str
    attention: bool = False  # shown as a warning when the count is not zero
    hint: str | None = None
    status: str | None = None  # shown instead of the count: the tile tells a state, not a number


@dataclass(frozen=True)
class Panel:
    """A section a feature contributes to another feature's page."""

    title: str  # the section's heading
    template: str  # included with ``panel`` in its context, e.g. "signals/_registration_panel.html"
    context: dict[str, Any] = field(default_factory=dict)  # plain data for the template
    order: int = 100  # lower first


@dataclass(frozen=True)
class RecipientSource:
    """Parties a feature can give to a mass mailing (the register as of a date, suspects), as plain data.

    A recipient is a dict: ``key`` (unique in the source, e.g. ``"registratie:R2024-00001"``), ``naam``,
    ``registratienummer`` and ``suspect_id`` (either may be None), ``adresregels`` (the postal address
    under the name, [] when there is none), ``postcode``, ``email`` (None when there is none) and ``velden``
    (field name -> text, the names of documents/fields.py for the source's ``audience``; dates already
    written in Dutch)."""

    key: str  # "register", "overtreders"
    label: str  # Dutch
    audience: str  # "registratie" or "overtreder" (documents/fields.py)
    # criteria -> recipients (criteria: the source's own filters as plain values, e.g. {"as_of": "2026-12-01"})
    fetch: Callable[[Mapping[str, Any]], list[dict[str, Any]]]
    # criteria -> a Dutch description ("Register op 1 december 2026, status ingeschreven, plaats Utrecht")
    describe: Callable[[Mapping[str, Any]], str]
    # One recipient by the party's own identifier (registratienummer, suspect id) as of a date; None if unknown.
    find: Callable[[str, Any], dict[str, Any] | None] | None = None


@dataclass(frozen=True)
class Feature:
    name: str
    blueprints: Sequence[Blueprint] = ()
    nav: NavEntry | None = None
    models: Sequence[str] = ()  # modules defining the feature's tables (imported for Alembic and the shell)
    jobs: Sequence[Job] = ()
    contributions: Sequence[tuple[str, Callable[..., Any]]] = ()  # (slot, provider)
    housekeeping: Sequence[HousekeepingTask] = ()
    health: Sequence[HealthCheck] = ()
    admin_links: Sequence[AdminLink] = ()
    cli: Sequence[click.Command] = ()
    # What the feature records in the audit trail: its actions (one LabelledEnum: stored codes, Dutch labels)
    # and the Dutch names of its object types, for the audit page and its filters.
    audit_actions: type[LabelledEnum] | None = None
    audit_object_types: Mapping[str, str] = field(default_factory=dict)
    setup: Callable[[Flask], None] | None = None


class Features:
    """What the installed features brought, for one application."""

    def __init__(self) -> None:
        self.installed: list[Feature] = []
        self.nav: list[NavEntry] = []
        self.jobs: list[Job] = []
        self.providers: dict[str, list[Callable[..., Any]]] = {slot: [] for slot in SLOTS}
        self.housekeeping: list[HousekeepingTask] = []
        self.health: list[HealthCheck] = []
        self.admin_links: list[AdminLink] = []

    def install(self, app: Flask, feature: Feature) -> None:
        if any(f.name == feature.name for f in self.installed):
            raise RuntimeError(f"feature {feature.name!r} is installed twice")
        for module in feature.models:
            importlib.import_module(module)
        for blueprint in feature.blueprints:
            app.register_blueprint(blueprint)
        if feature.nav is not None:
            self.add_nav(feature.nav)
        for job in feature.jobs:
            if any(j.name == job.name for j in self.jobs):
                raise RuntimeError(f"job {job.name!r} is registered twice")
            self.jobs.append(job)
        for slot, provider in feature.contributions:
            if slot not in self.providers:
                raise RuntimeError(f"unknown slot {slot!r} (known: {', '.join(SLOTS)})")
            self.providers[slot].append(provider)
        self.housekeeping.extend(feature.housekeeping)
        self.health.extend(feature.health)
        self.admin_links.extend(feature.admin_links)
        self.admin_links.sort(key=lambda link: link.order)
        for command in feature.cli:
            app.cli.add_command(command)
        if feature.audit_actions is not None:
            audit.register_actions(feature.audit_actions)
        audit.register_object_types(dict(feature.audit_object_types))
        if feature.setup is not None:
            feature.setup(app)
        self.installed.append(feature)

    def add_nav(self, entry: NavEntry) -> None:
        if any(n.key == entry.key for n in self.nav):
            raise RuntimeError(f"navigation section {entry.key!r} is declared twice")
        self.nav.append(entry)
        self.nav.sort(key=lambda n: n.order)

    def section_keys(self) -> set[str]:
        return {n.key for n in self.nav}


def install(app: Flask, features: Iterable[Feature | str]) -> Features:
    """Install ``features`` (a Feature, or the name of a module exposing ``feature``) in this order."""
    registry: Features = app.extensions.setdefault(EXTENSION_KEY, Features())
    for item in features:
        feature = importlib.import_module(item).feature if isinstance(item, str) else item
        registry.install(app, feature)
    return registry


def registry(app: Flask | None = None) -> Features:
    """The installed features of ``app`` (default: the current application)."""
    features: Features = (app if app is not None else current_app).extensions[EXTENSION_KEY]
    return features


def navigation_for(user: Any) -> list[NavEntry]:
    return [entry for entry in registry().nav if user_has_any_role(user, entry.roles)]


def tiles_for(user: Any) -> list[Tile]:
    tiles: list[Tile] = []
    for provider in registry().providers[DASHBOARD]:
        tiles.extend(provider(user))
    return tiles


def recipient_sources() -> dict[str, RecipientSource]:
    """The recipient sources of the installed features, by key."""
    sources = [provider() for provider in registry().providers[RECIPIENTS]]
    return {source.key: source for source in sources}


def panels_for(slot: str, *args: Any) -> list[Panel]:
    """The panels the features contribute to one page (``slot``), in their order; providers that have nothing
    to show for these arguments (or for this user's roles) return None."""
    panels = [p for provider in registry().providers[slot] if (p := provider(*args)) is not None]
    return sorted(panels, key=lambda p: p.order)
