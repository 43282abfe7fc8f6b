"""Every list page, and every detail page with linked rows, costs the same number of SQL statements whatever
the number of rows it shows (issue 15): a page with 3 rows and the same page with 30 send equally many
statements. A per-row query (a lazy relationship read in the template, a lookup per row in the view) makes
the second count larger, and the test names the page and the statements that were added.

Each case makes its rows with ``tests/factories.py``, renders the page once to warm what a process loads
once, then counts the statements of the next request; then adds rows up to 30 and counts again.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from tests.helpers import count_queries
from wki.core.auth import Role
from wki.enforcement.models import CaseStatus, DeadlineStatus
from wki.signals.models import Verdict
from wki.supervision.models import InspectionStatus

FEW, MANY = 3, 30
_SERIAL = itertools.count(1)  # unique texts to find on a page


@dataclass(frozen=True)
class Page:
    """A page, how to add ``n`` rows to it (returning a text each row shows), and its address."""

    name: str
    make: Callable[[Any, int, dict[str, Any]], list[str]]
    url: Callable[[dict[str, Any]], str]
    setup: Callable[[Any], dict[str, Any]] = lambda factories: {}


def _registrations(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f.RegistrationVersionFactory(snapshot_id=ctx["snapshot"]).registratienummer for _ in range(n)]


def _snapshot(f: Any) -> dict[str, Any]:
    return {"snapshot": f.RegisterSnapshotFactory().id}


def _signals(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f.SignalFactory(auto_verdict=Verdict.UNREGISTERED, suspect_id=ctx.get("suspect")).referentie
            for _ in range(n)]


def _suspects(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f.SuspectFactory().display_name for _ in range(n)]


def _inspections(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    # Each with its own inspector, so that reading the inspector's name per row would show.
    return [f.InspectionFactory(status=InspectionStatus.IN_PROGRESS).nummer for _ in range(n)]


def _cases(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f.CaseFactory().nummer for _ in range(n)]


def _documents(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f.DocumentFactory().kenmerk for _ in range(n)]


def _mailings(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f.MailingFactory(title=f"Mailing {next(_SERIAL)}").title for _ in range(n)]


def _letter_types(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f.LetterTypeFactory(roles=["voorlichting", "beheerder"]).title for _ in range(n)]


def _users(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f.UserFactory(roles=[Role.INSPECTEUR, Role.HANDHAVER]).email for _ in range(n)]


def _audit(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f.AuditEventFactory(object_id=f"object-{next(_SERIAL)}").object_id for _ in range(n)]


def _work_items(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f"/beheer/werk/{f.WorkItemFactory().id}" for _ in range(n)]


def _job_runs(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f"/beheer/taken/{f.JobRunFactory().id}" for _ in range(n)]


def _sync_runs(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f"/register/beheer/synchronisaties/{f.RegisterSyncRunFactory().id}" for _ in range(n)]


def _snapshots(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f"/register/beheer/snapshots/{f.RegisterSnapshotFactory().id}" for _ in range(n)]


def _partner_tokens(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return [f.PartnerTokenFactory().prefix for _ in range(n)]


LIST_PAGES = [
    Page("register list", _registrations, lambda ctx: "/register/", _snapshot),
    Page("register search", _registrations, lambda ctx: "/register/?zoek=incassobureau", _snapshot),
    Page("signals list", _signals, lambda ctx: "/signalen/"),
    Page("signals search", _signals, lambda ctx: "/signalen/?zoek=inningsbureau"),
    Page("suspect list", _suspects, lambda ctx: "/signalen/mogelijke-overtreders"),
    Page("planning", _registrations, lambda ctx: "/toezicht/", _snapshot),
    Page("inspection list", _inspections, lambda ctx: "/toezicht/inspecties"),
    Page("case list", _cases, lambda ctx: "/handhaving/"),
    Page("issued documents", _documents, lambda ctx: "/documenten/uitgegeven"),
    Page("mailings", _mailings, lambda ctx: "/documenten/mailings"),
    Page("letter types", _letter_types, lambda ctx: "/documenten/"),
    Page("users", _users, lambda ctx: "/beheer/gebruikers"),
    Page("audit trail", _audit, lambda ctx: "/beheer/audit"),
    Page("work items", _work_items, lambda ctx: "/beheer/werk"),
    Page("job runs", _job_runs, lambda ctx: "/beheer/taken"),
    Page("sync runs", _sync_runs, lambda ctx: "/register/beheer/synchronisaties"),
    Page("snapshots", _snapshots, lambda ctx: "/register/beheer/snapshots"),
    Page("partner tokens", _partner_tokens, lambda ctx: "/beheer/partners"),
]


# ---------------------------------------------------------------- detail pages with linked rows


def _registration(f: Any) -> dict[str, Any]:
    version = f.RegistrationVersionFactory(valid_from=date(2025, 1, 5), valid_to=date(2025, 2, 5))
    f.RegistrationVersionFactory(registratienummer=version.registratienummer, valid_from=date(2025, 2, 5),
                                 valid_to=date(2025, 3, 5), plaats="Utrecht")
    f.RegistrationVersionFactory(registratienummer=version.registratienummer, valid_from=date(2025, 3, 5))
    return {"nummer": version.registratienummer, "day": date(2025, 3, 5)}


def _registration_rows(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    """Signals about the registration, cases about it, and changes in its history."""
    nummer = ctx["nummer"]
    shown = []
    for _ in range(n):
        shown.append(f.SignalFactory(auto_verdict=Verdict.REGISTERED, auto_registratienummer=nummer).referentie)
        f.CaseFactory(registratienummer=nummer, status=CaseStatus.CLOSED)  # one open case per registration
        ctx["day"] += timedelta(days=1)
        f.RegisterChangeFactory(registratienummer=nummer, snapshot_date=ctx["day"])
    return shown[-3:]  # the page shows the latest few signals


def _suspect(f: Any) -> dict[str, Any]:
    return {"suspect": f.SuspectFactory().id}


def _suspect_rows(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    return _signals(f, n, ctx)


def _case(f: Any) -> dict[str, Any]:
    return {"case": f.CaseFactory().id}


def _case_rows(f: Any, n: int, ctx: dict[str, Any]) -> list[str]:
    shown = []
    for _ in range(n):
        step = f.CaseStepFactory(case_id=ctx["case"], text=f"Notitie {next(_SERIAL)}")
        f.CaseAttachmentFactory(step_id=step.id)
        f.CaseDeadlineFactory(case_id=ctx["case"], status=DeadlineStatus.MET)  # one running per kind
        f.CaseEvidenceFactory(case_id=ctx["case"])
        shown.append(step.text)
    return shown


DETAIL_PAGES = [
    Page("registration page", _registration_rows, lambda ctx: f"/register/{ctx['nummer']}", _registration),
    Page("suspect page", _suspect_rows, lambda ctx: f"/signalen/mogelijke-overtreders/{ctx['suspect']}", _suspect),
    Page("case page", _case_rows, lambda ctx: f"/handhaving/zaken/{ctx['case']}", _case),
]


def _statements(client: Any, url: str, expected: list[str]) -> list[str]:
    client.get(url)  # what a process reads once (settings, caches) is not the page's per-request cost
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.get_data(as_text=True)
    missing = [text for text in expected if text not in html]
    assert not missing, f"{url} does not show {missing[:3]}"
    return list(statements)


@pytest.mark.parametrize("page", LIST_PAGES + DETAIL_PAGES, ids=lambda p: p.name)
def test_statements_do_not_grow_with_the_rows(page: Page, login_as, factories) -> None:
    client = login_as(*Role)
    ctx = page.setup(factories)
    first = page.make(factories, FEW, ctx)
    few = _statements(client, page.url(ctx), first)
    more = page.make(factories, MANY - FEW, ctx)
    many = _statements(client, page.url(ctx), more[:10])
    added = [s for s in many if many.count(s) > few.count(s) and "SAVEPOINT" not in s]
    assert len(many) == len(few), (
        f"{page.name}: {len(few)} statements with {FEW} rows, {len(many)} with {MANY}; repeated: "
        + "\n".join(" ".join(s.split())[:300] for s in sorted(set(added))[:3]))


def test_the_user_is_read_once_per_request(login_as) -> None:
    """The logged-in user (account and roles) is read once per request: the request's log line takes its id
    before the commit expires it, rather than reading it again afterwards."""
    client = login_as(Role.INSPECTEUR)
    client.get("/account/")
    with count_queries() as statements:
        assert client.get("/account/").status_code == 200
    flat = [" ".join(s.split()) for s in statements]
    assert sum("FROM user_account WHERE user_account.id" in s for s in flat) == 1, flat
    assert sum(s.startswith("SELECT user_role.") for s in flat) == 1, flat
