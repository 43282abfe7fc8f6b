"""The retention job: what is due goes (texts replaced, files gone from the stores), what is not due or kept by a
duty stays; the audit trail and the run's record keep counts and ids, never the data; running twice removes
nothing twice; a crash leaves each batch wholly done or not at all; suspects and figures stay as they were."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from config import Config, ConfigError
from tests.core.test_sequences import database_kinds, isolated_app
from tests.privacy.helpers import LONG_AGO, RECENTLY, closed_case, signal, trail_text
from tests.signals.conftest import mirror  # noqa: F401 - the register the signals are judged against
from wki.core.actors import Actor
from wki.core.audit import AuditEvent
from wki.core.extensions import db
from wki.enforcement.models import (
    CaseAttachment,
    CaseDocument,
    CaseEvidence,
    CaseStatus,
    CaseStep,
    DocumentStatus,
    EvidenceLink,
)
from wki.enforcement.procedure import case_store
from wki.privacy import retention
from wki.privacy.models import RetentionRun
from wki.signals.attachments import attachment_store
from wki.signals.models import Signal, SignalAttachment, SignalStatus

JOB = Actor.process("job:privacy-retention")
NAME = "Jan Jansen"


def _run(**kwargs):
    counts = retention.run_retention(actor=JOB, **kwargs)
    db.session.expire_all()
    return counts


def test_due_signal_loses_its_personal_data_and_its_letter(factories):
    due = signal(factories, closed_at=LONG_AGO, with_file=True, decision_reason=f"Gebeld met {NAME}")
    sha = due.attachment.sha256
    attachment_id = due.attachment_id
    kept_fields = (due.naam_incassant, due.hoofdsom, due.incassokosten, due.kvk, due.iban, due.status)
    assert attachment_store().exists(sha)

    counts = _run()

    assert counts["signalen"] == 1 and counts["signaalbijlagen"] == 1 and counts["bestanden_verwijderd"] == 1
    assert due.omschrijving.startswith("[verwijderd op ") and due.omschrijving.endswith("wegens bewaartermijn]")
    assert due.decision_reason == due.omschrijving
    assert due.referentie == f"[verwijderd-{due.id}]" and due.pseudonymised_at is not None
    assert due.attachment_id is None and db.session.get(SignalAttachment, attachment_id) is None
    assert not attachment_store().exists(sha)
    # The collector's identifiers, the amounts and the verdict stay.
    assert (due.naam_incassant, due.hoofdsom, due.incassokosten, due.kvk, due.iban, due.status) == kept_fields


def test_not_due_open_and_evidence_of_an_open_case_stay(factories):
    recent = signal(factories, closed_at=RECENTLY)
    still_open = signal(factories, closed_at=None)
    evidence = signal(factories, closed_at=LONG_AGO, with_file=True)
    open_case = factories.CaseFactory(status=CaseStatus.INVESTIGATION)
    factories.CaseEvidenceFactory(case_id=open_case.id, kind=EvidenceLink.SIGNAL, ref=str(evidence.id))
    due = signal(factories, closed_at=LONG_AGO)
    overview = {row["rule"].kind: row for row in retention.due_overview()}
    assert overview["signaal"]["count"] == 1 and overview["signaal"]["kept"] == {"bewijs_open_zaak": 1}

    counts = _run()

    assert counts["signalen"] == 1 and due.pseudonymised_at is not None
    for kept in (recent, still_open, evidence):
        assert NAME in kept.omschrijving and kept.pseudonymised_at is None
    assert attachment_store().exists(evidence.attachment.sha256)
    run = db.session.scalars(sa.select(RetentionRun).order_by(RetentionRun.id.desc())).first()
    assert run.finished_at is not None and run.counts["signalen"] == 1
    assert run.kept == {"bewijs_open_zaak": [evidence.id]}

    # Once the case is closed, the evidence is due at the next run.
    open_case.status = CaseStatus.CLOSED
    db.session.flush()
    assert _run()["signalen"] == 1 and evidence.pseudonymised_at is not None


def test_a_reopened_signal_starts_its_period_again(factories):
    row = signal(factories, closed_at=LONG_AGO)
    row.status = SignalStatus.OPEN
    db.session.flush()
    assert row.closed_at is None
    row.status = SignalStatus.CLOSED
    db.session.flush()
    assert row.closed_at > RECENTLY
    assert _run()["signalen"] == 0 and NAME in row.omschrijving


def test_audit_and_run_record_hold_no_personal_data(factories):
    due = signal(factories, closed_at=LONG_AGO, with_file=True, text="Brief aan Pietje Puk, Kerkpad 7 Zwolle")
    case, _ = closed_case(factories, text="Klacht van Pietje Puk uit Zwolle")

    counts = _run()

    assert counts["signalen"] == 1 and counts["zaken"] == 1
    text = trail_text()
    assert "Pietje" not in text and "Kerkpad" not in text and "Zwolle" not in text and "jansen-brief" not in text
    # ... but the trail says that it happened, with the ids.
    actions = {e.action: e.after for e in db.session.scalars(sa.select(AuditEvent))}
    assert actions["signalen.gepseudonimiseerd"]["ids"] == [due.id]
    assert actions["zaak.gepseudonimiseerd"]["ids"] == [case.id]
    assert actions["avg.bewaartermijn_uitgevoerd"]["signalen"] == 1


def test_running_twice_removes_nothing_twice(factories):
    due = signal(factories, closed_at=LONG_AGO, with_file=True)
    closed_case(factories)
    first = _run()
    marked, reference = due.omschrijving, due.referentie
    second = _run()
    assert first["signalen"] == 1 and first["zaken"] == 1
    assert all(n == 0 for n in second.values()), second
    assert (due.omschrijving, due.referentie) == (marked, reference)
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                               .where(AuditEvent.action == "signalen.gepseudonimiseerd"))
    assert events == 1


def test_a_crash_leaves_each_batch_wholly_done_or_not(factories, monkeypatch):
    from wki.signals import services as signal_services

    rows = [signal(factories, closed_at=LONG_AGO) for _ in range(3)]
    real = signal_services.pseudonymise_signals
    calls = []

    def dies_on_the_second_batch(ids, **kwargs):
        calls.append(ids)
        result = real(ids, **kwargs)
        if len(calls) == 2:
            raise RuntimeError("de verwerker stopt")
        return result

    monkeypatch.setattr(signal_services, "pseudonymise_signals", dies_on_the_second_batch)
    with pytest.raises(RuntimeError):
        retention.run_retention(actor=JOB, batch=1)
    db.session.rollback()
    db.session.expire_all()
    done = [r for r in rows if r.pseudonymised_at is not None]
    untouched = [r for r in rows if r.pseudonymised_at is None]
    assert len(done) == 1 and len(untouched) == 2
    assert all(NAME in r.omschrijving and not r.referentie.startswith("[verwijderd") for r in untouched)
    # The interrupted run shows as not finished; the next run does the rest.
    assert db.session.scalars(sa.select(RetentionRun)).one().finished_at is None
    monkeypatch.setattr(signal_services, "pseudonymise_signals", real)
    assert _run(batch=1)["signalen"] == 2
    assert all(r.pseudonymised_at is not None for r in rows)


def test_closed_case_loses_its_texts_and_files_but_keeps_its_issued_document(factories):
    case, sha = closed_case(factories)
    issued = factories.CaseDocumentFactory(case_id=case.id, status=DocumentStatus.ISSUED, kenmerk="HZ-AVG-1",
                                           sections={"feiten": "Jan Jansen belde"})
    draft = factories.CaseDocumentFactory(case_id=case.id, kind="voornemen", sections={"feiten": "Jan Jansen"})
    recent, recent_sha = closed_case(factories, closed_at=RECENTLY)
    open_case, open_sha = closed_case(factories, status=CaseStatus.INVESTIGATION)
    assert case_store().exists(sha)

    counts = _run()

    assert counts["zaken"] == 1 and counts["zaakbijlagen"] == 1 and counts["documenten"] == 1
    assert case.aanleiding.startswith("[verwijderd op ") and case.feiten == case.aanleiding
    steps = db.session.scalars(sa.select(CaseStep.text).where(CaseStep.case_id == case.id)).all()
    assert steps and all(t.startswith("[verwijderd") for t in steps)
    assert db.session.scalars(sa.select(CaseEvidence.description).where(CaseEvidence.case_id == case.id)).one() \
        .startswith("[verwijderd")
    assert not case_store().exists(sha)
    assert db.session.get(CaseDocument, issued.id).sections == {"feiten": "Jan Jansen belde"}
    assert db.session.get(CaseDocument, draft.id).sections["feiten"].startswith("[verwijderd")
    run = db.session.scalars(sa.select(RetentionRun)).one()
    assert run.kept == {"uitgegeven_document": [case.id]}
    for other, other_sha in ((recent, recent_sha), (open_case, open_sha)):
        assert NAME in other.aanleiding and case_store().exists(other_sha)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseAttachment)) == 2


def test_old_import_reports_lose_their_rejected_rows(factories):
    old = factories.SignalImportFactory(report={"ongeldig": [{"omschrijving": NAME}]}, rejects_csv=NAME.encode(),
                                        created_at=LONG_AGO)
    new = factories.SignalImportFactory(report={"ongeldig": [{"omschrijving": NAME}]}, created_at=RECENTLY)
    assert _run()["signaalimports"] == 1
    assert old.report is None and old.rejects_csv is None and old.counts == {"ingelezen": 1}
    assert new.report is not None


def test_suspects_counts_and_verdicts_are_unchanged(mirror):  # noqa: F811
    from tests.signals.helpers import signal_row
    from wki.signals.models import Suspect
    from wki.signals.recording import create_signal
    from wki.signals.regrouping import regroup_suspects

    actor = Actor.process("test")
    made = [create_signal(signal_row(n, naam_incassant="Snelgeld Inning", iban="NL91ABNA0417164300",
                                     hoofdsom="1.000,00", incassokosten="400,00",
                                     omschrijving=f"Schuldenaar {NAME} nummer {n}"), channel="formulier", actor=actor)
            for n in range(1, 4)]
    for row in made:
        row.status = SignalStatus.CLOSED
    db.session.flush()
    for row in made:
        row.closed_at = LONG_AGO
    db.session.flush()

    def picture():
        db.session.expire_all()
        suspects = [(s.id, s.signal_count, s.total_principal, s.total_costs, s.display_name, s.priority,
                     s.bik_exceeded_count) for s in db.session.scalars(sa.select(Suspect).order_by(Suspect.id))]
        verdicts = [(s.id, s.verdict, s.suspect_id, s.bik_excess) for s in
                    db.session.scalars(sa.select(Signal).order_by(Signal.id))]
        return suspects, verdicts

    before = picture()
    assert before[0] and before[0][0][1] == 3
    assert _run()["signalen"] == 3
    regroup_suspects()
    assert picture() == before


def test_the_configuration_is_checked_at_start(monkeypatch):
    good = Config.RETENTION
    Config.validate_retention()
    bad = {**good, "signaal": {**good["signaal"], "months": 0}}
    monkeypatch.setattr(Config, "RETENTION", bad)
    with pytest.raises(ConfigError, match="WKI_RETENTION_SIGNAL_MONTHS"):
        Config.validate_retention()
    no_basis = {**good, "zaak": {**good["zaak"], "basis": " "}}
    monkeypatch.setattr(Config, "RETENTION", no_basis)
    with pytest.raises(ConfigError, match="grondslag"):
        Config.validate_retention()


def test_the_job_is_scheduled_nightly(app):
    from wki.core.jobs import get_job

    job = get_job(retention.JOB_NAME, app)
    assert job.trigger == "cron" and job.trigger_args == {"hour": 3, "minute": 40} and job.confirmation


def test_closing_through_the_service_starts_the_period(factories):
    from wki.signals.decisions import set_status

    row = signal(factories, closed_at=None)
    assert row.closed_at is None
    set_status(row.id, status=SignalStatus.CLOSED, reason="Afgehandeld zonder oordeel", actor=JOB)
    assert row.closed_at is not None and row.closed_at > RECENTLY
    set_status(row.id, status=SignalStatus.OPEN, reason="Toch nog niet klaar", actor=JOB)
    assert row.closed_at is None


@pytest.mark.parametrize("kind", database_kinds())
def test_the_migration_dates_the_closing_of_signals_closed_before_it(kind, tmp_path):
    from flask_migrate import upgrade

    with isolated_app(kind, tmp_path, revision="0018_enforcement_letters") as app, app.app_context():
        insert = ("INSERT INTO signal (bron, referentie, ontvangen_op, channel, status, reference_date, name_key, "
                  "vulnerable, created_at, decided_at) VALUES ('consument', :ref, '2023-01-02', 'formulier', "
                  ":status, '2023-01-02', 'x', false, '2023-01-02 10:00:00', :decided)")
        for ref, status, decided in (("A", "afgehandeld", "2023-02-03 12:00:00"), ("B", "afgehandeld", None),
                                     ("C", "open", None)):
            db.session.execute(sa.text(insert), {"ref": ref, "status": status, "decided": decided})
        db.session.commit()
        upgrade()
        rows = dict(db.session.execute(sa.text("SELECT referentie, closed_at FROM signal")).all())
        assert str(rows["A"]).startswith("2023-02-03 12:00:00") and str(rows["B"]).startswith("2023-01-02 10:00:00")
        assert rows["C"] is None
