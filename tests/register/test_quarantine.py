"""The safety valve: empty snapshots and large removals are held for an administrator, who approves
(applied exactly as held) or discards them (with a reason). Both decisions are audited and final."""

from __future__ import annotations

import gzip

import pytest

from tests.register.conftest import D1, D2, D3, D4, audit_events, changes, count, mirror_state, versions
from tests.register.helpers import exempt_csv, exempt_row, load, register_row, to_csv
from wki.core.actors import Actor
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.register import services
from wki.register.models import (
    ExemptPartyVersion,
    RegisterSnapshot,
    RegistrationVersion,
    SnapshotKind,
    SnapshotStatus,
)

TWENTY = [register_row(n) for n in range(1, 21)]
NUMBERS = [row["registratienummer"] for row in TWENTY]


@pytest.fixture
def mirror(db_session):
    """Twenty current registrations from D1."""
    load(TWENTY, D1)
    return mirror_state()


def quarantined(result) -> RegisterSnapshot:
    assert result.outcome == "quarantaine", result.message
    db.session.expire_all()
    return db.session.get(RegisterSnapshot, result.snapshot.id)


class TestEmpty:
    def test_header_only_is_quarantined_not_applied(self, mirror):
        result = load([], D2)
        snapshot = quarantined(result)
        assert snapshot.status == SnapshotStatus.QUARANTINED
        assert snapshot.reason == "het bestand bevat geen enkele regel."
        assert result.message == ("Het bestand is in quarantaine gezet en niet toegepast: het bestand bevat geen "
                                  "enkele regel. Een beheerder moet het goedkeuren of verwerpen.")
        after = mirror_state()
        assert after["versions"] == mirror["versions"] and after["changes"] == mirror["changes"]
        assert len(after["snapshots"]) == len(mirror["snapshots"]) + 1
        assert all(v.valid_to is None for n in NUMBERS for v in versions(n))

    def test_an_empty_first_snapshot_is_quarantined_too(self, db_session):
        snapshot = quarantined(load([], D1))
        assert snapshot.counts["rijen"] == 0
        assert count(RegistrationVersion) == 0

    def test_blank_lines_only_count_as_empty(self, mirror):
        quarantined(load(to_csv([]) + b"\r\n\r\n,,,\r\n", D2))

    def test_an_empty_exempt_list_is_quarantined(self, db_session):
        load(exempt_csv([exempt_row(1)]), D1, kind=SnapshotKind.EXEMPT)
        quarantined(load(exempt_csv([]), D2, kind=SnapshotKind.EXEMPT))
        assert count(ExemptPartyVersion) == 1


class TestLargeRemoval:
    def test_more_than_ten_percent_removed_is_quarantined(self, mirror):
        kept = TWENTY[3:]  # three of twenty leave: 15%
        result = load(kept + [register_row(99)], D2)
        snapshot = quarantined(result)
        assert snapshot.reason == ("het zou 3 van de 20 huidige inschrijvingen verwijderen (15%, meer dan de grens "
                                   "van 10%).")
        assert snapshot.counts == {"rijen": 18, "nieuw": 1, "teruggekeerd": 0, "gewijzigd": 0, "verdwenen": 3,
                                   "ongewijzigd": 17}
        assert snapshot.diff["verdwenen"] == NUMBERS[:3]
        assert snapshot.diff["nieuw"] == ["R2024-00099"]
        assert gzip.decompress(snapshot.raw_gzip) == to_csv(kept + [register_row(99)])
        after = mirror_state()
        assert after["versions"] == mirror["versions"] and after["changes"] == mirror["changes"]
        [event] = audit_events("register.snapshot_quarantined")
        assert event.object_id == str(snapshot.id)
        assert event.after["verdwenen"] == 3
        assert snapshot in services.list_quarantined()

    def test_the_diff_lists_field_changes(self, mirror):
        rows = [register_row(1, naam="Hernoemd B.V."), *TWENTY[1:17]]
        snapshot = quarantined(load(rows, D2))
        assert snapshot.diff["gewijzigd"] == {"R2024-00001": [["naam", "Incassobureau 1 B.V.", "Hernoemd B.V."]]}
        assert snapshot.diff["verdwenen"] == NUMBERS[17:]

    def test_exactly_ten_percent_is_applied(self, mirror):
        result = load(TWENTY[2:], D2)  # two of twenty: exactly 10%
        assert result.outcome == "toegepast"
        assert result.counts["verdwenen"] == 2
        assert [v.valid_to for v in versions(NUMBERS[0])] == [D2]

    def test_a_configured_share(self, app, mirror, monkeypatch):
        monkeypatch.setitem(app.config, "REGISTER_MAX_REMOVAL_SHARE", 0.05)
        snapshot = quarantined(load(TWENTY[2:], D2))  # 10% is now too many
        assert "(10%, meer dan de grens van 5%)" in snapshot.reason
        monkeypatch.setitem(app.config, "REGISTER_MAX_REMOVAL_SHARE", 0.5)
        assert load(TWENTY[9:], D3).outcome == "toegepast"  # 9 of 20 = 45%: allowed
        assert count(RegistrationVersion) == 20

    def test_new_registrations_do_not_offset_removals(self, mirror):
        rows = TWENTY[3:] + [register_row(n) for n in range(50, 80)]
        quarantined(load(rows, D2))

    def test_dry_run_says_it_would_be_quarantined_and_stores_nothing(self, mirror):
        result = load(TWENTY[5:], D2, dry_run=True)
        assert result.outcome == "quarantaine" and result.snapshot is None
        assert "Dit bestand zou in quarantaine gaan: het zou 5 van de 20" in result.message
        assert mirror_state() == mirror


class TestApprove:
    def test_approval_applies_the_held_file_exactly(self, mirror):
        rows = [register_row(1, naam="Hernoemd B.V."), *TWENTY[1:17], register_row(99)]
        snapshot = quarantined(load(rows, D2))
        result = services.approve_snapshot(snapshot.id, reason="Nagegaan bij Justis",
                                           actor=Actor.process("beheerder@inspectie.example.nl"))
        assert result.outcome == "toegepast"
        assert result.message == f"Snapshot {snapshot.id} is goedgekeurd en toegepast."
        assert result.counts == {"rijen": 18, "nieuw": 1, "teruggekeerd": 0, "gewijzigd": 1, "verdwenen": 3,
                                 "ongewijzigd": 16}
        db.session.expire_all()
        snapshot = db.session.get(RegisterSnapshot, snapshot.id)
        assert snapshot.status == SnapshotStatus.APPLIED
        assert snapshot.raw_gzip is None
        assert snapshot.decided_by == "beheerder@inspectie.example.nl" and snapshot.decided_at is not None
        for number in NUMBERS[17:]:
            [version] = versions(number)
            assert version.valid_to == D2
            assert [(c.kind, c.snapshot_id) for c in changes(number)] == [("verdwenen", snapshot.id)]
        old, new = versions(NUMBERS[0])
        assert (old.valid_to, new.valid_from, new.naam, new.snapshot_id) == (D2, D2, "Hernoemd B.V.", snapshot.id)
        [version] = versions("R2024-00099")
        assert (version.valid_from, version.snapshot_id) == (D2, snapshot.id)
        [event] = audit_events("register.snapshot_approved")
        assert event.object_id == str(snapshot.id)
        assert event.actor_email == "beheerder@inspectie.example.nl"
        assert event.before == {"status": "quarantaine"}
        assert event.after["status"] == "toegepast" and event.after["verdwenen"] == 3
        assert event.after["reden"] == "Nagegaan bij Justis"

    def test_an_approved_snapshot_is_the_latest(self, mirror):
        snapshot = quarantined(load(TWENTY[5:], D2))
        services.approve_snapshot(snapshot.id, reason="akkoord", actor=Actor.process("beheerder"))
        assert services.latest_snapshot("register").id == snapshot.id
        again = load(TWENTY[5:], D3)
        assert again.outcome == "ongewijzigd"  # the same file as the one now applied

    def test_approving_an_empty_snapshot_empties_the_mirror(self, mirror):
        snapshot = quarantined(load([], D2))
        result = services.approve_snapshot(snapshot.id, reason="akkoord", actor=Actor.process("beheerder"))
        assert result.counts["verdwenen"] == 20
        assert all(v.valid_to == D2 for n in NUMBERS for v in versions(n))

    def test_approval_is_refused_when_a_newer_snapshot_was_applied_since(self, mirror):
        snapshot = quarantined(load(TWENTY[5:], D2))
        assert load(TWENTY + [register_row(40)], D3).outcome == "toegepast"
        before = mirror_state()
        with pytest.raises(ServiceError) as exc:
            services.approve_snapshot(snapshot.id, reason="akkoord", actor=Actor.process("beheerder"))
        assert exc.value.message == ("Sinds deze snapshot is een nieuwere ingelezen (01-03-2026); goedkeuren zou de "
                                     "geschiedenis herschrijven. Verwerp deze snapshot.")
        assert mirror_state() == before
        assert db.session.get(RegisterSnapshot, snapshot.id).status == SnapshotStatus.QUARANTINED

    @pytest.mark.parametrize("day", [D2, D3])
    def test_approval_is_refused_after_a_later_or_equal_import(self, mirror, day):
        """Issue 10: a held file approved after a larger import of the same date removed what that import
        added. A file is no longer next once a snapshot of the same or a later date has been applied."""
        snapshot = quarantined(load(TWENTY[5:], D2))
        bigger = TWENTY + [register_row(n) for n in range(21, 61)]
        assert load(bigger, day).outcome == "toegepast"
        before = mirror_state()
        with pytest.raises(ServiceError) as exc:
            services.approve_snapshot(snapshot.id, reason="akkoord", actor=Actor.process("beheerder"))
        if day == D2:
            assert exc.value.message == (
                "Na deze snapshot is een ander bestand van dezelfde datum (01-02-2026) toegepast (snapshot "
                f"{snapshot.id + 1}); goedkeuren zou die nieuwere gegevens overschrijven met oudere. "
                "Verwerp deze snapshot.")
        else:
            assert exc.value.message.startswith("Sinds deze snapshot is een nieuwere ingelezen (01-03-2026)")
        assert mirror_state() == before
        assert count(RegistrationVersion) == 60
        db.session.expire_all()
        assert db.session.get(RegisterSnapshot, snapshot.id).status == SnapshotStatus.QUARANTINED
        assert audit_events("register.snapshot_approved") == []
        preview = services.approval_preview(db.session.get(RegisterSnapshot, snapshot.id))
        assert preview.plan is None and preview.blocker == exc.value.message

    def test_an_earlier_import_of_the_same_date_does_not_block(self, mirror):
        """A snapshot applied before the file was held (same date) is what the file was compared with."""
        assert load(TWENTY + [register_row(21)], D2).outcome == "toegepast"
        snapshot = quarantined(load(TWENTY[5:], D2))
        result = services.approve_snapshot(snapshot.id, reason="akkoord", actor=Actor.process("beheerder"))
        assert result.counts["verdwenen"] == 6

    def test_approval_is_planned_against_the_mirror_as_it_is_now(self, mirror):
        """An earlier-dated import applied after the quarantine changes what approving does; the preview
        (what the page shows) and the approval both see that, not the diff stored at quarantine time."""
        snapshot = quarantined(load(TWENTY[5:], D3))
        basis_then = services.approval_preview(snapshot).basis
        assert snapshot.counts["verdwenen"] == 5
        assert load(TWENTY + [register_row(n) for n in range(21, 24)], D2).outcome == "toegepast"
        preview = services.approval_preview(snapshot)
        assert preview.blocker is None and preview.basis != basis_then
        assert preview.plan.counts["verdwenen"] == 8
        assert preview.plan.diff()["verdwenen"] == [*NUMBERS[:5], "R2024-00021", "R2024-00022", "R2024-00023"]
        before = mirror_state()
        with pytest.raises(ServiceError) as exc:  # approving the diff seen before the mirror moved on
            services.approve_snapshot(snapshot.id, reason="akkoord", basis=basis_then, actor=Actor.process("beheerder"))
        assert exc.value.message == ("Het register is gewijzigd sinds u deze pagina opende; de verschillen zijn "
                                     "opnieuw berekend. Bekijk ze en keur de snapshot daarna opnieuw goed.")
        assert mirror_state() == before
        result = services.approve_snapshot(snapshot.id, reason="akkoord", basis=preview.basis,
                                           actor=Actor.process("beheerder"))
        assert result.counts["verdwenen"] == 8
        assert [v.valid_to for v in versions("R2024-00021")] == [D3]
        db.session.expire_all()
        applied = db.session.get(RegisterSnapshot, snapshot.id)
        assert applied.counts["verdwenen"] == 8 and len(applied.diff["verdwenen"]) == 8

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_approval_needs_a_reason(self, mirror, reason):
        snapshot = quarantined(load(TWENTY[5:], D2))
        before = mirror_state()
        with pytest.raises(ServiceError) as exc:
            services.approve_snapshot(snapshot.id, reason=reason, actor=Actor.process("beheerder"))
        assert (exc.value.message, exc.value.field) == ("Geef een reden op.", "reden")
        assert mirror_state() == before
        assert db.session.get(RegisterSnapshot, snapshot.id).status == SnapshotStatus.QUARANTINED

    @pytest.mark.parametrize("newer_day", [D2, D3])
    def test_a_newer_quarantined_snapshot_goes_first(self, mirror, newer_day):
        older = quarantined(load(TWENTY[5:], D2))
        newer = quarantined(load(TWENTY[6:], newer_day))
        before = mirror_state()
        with pytest.raises(ServiceError) as exc:
            services.approve_snapshot(older.id, reason="akkoord", actor=Actor.process("beheerder"))
        assert exc.value.message == (
            f"Snapshot {newer.id} van {newer_day:%d-%m-%Y} staat ook in quarantaine en is nieuwer dan deze; die "
            "geeft het register van later weer. Beslis eerst over die snapshot: keur haar goed, of verwerp haar als "
            "ook deze snapshot daarna nog toegepast moet kunnen worden.")
        assert mirror_state() == before
        services.discard_snapshot(newer.id, reason="onvolledig", actor=Actor.process("beheerder"))
        assert services.approve_snapshot(older.id, reason="akkoord", actor=Actor.process("beheerder")).counts["verdwenen"] == 5

    def test_an_older_quarantined_snapshot_does_not_block_a_newer_one(self, mirror):
        older = quarantined(load(TWENTY[5:], D2))
        newer = quarantined(load(TWENTY[6:], D3))
        assert services.approve_snapshot(newer.id, reason="akkoord", actor=Actor.process("beheerder")).outcome == "toegepast"
        with pytest.raises(ServiceError, match="^Sinds deze snapshot is een nieuwere ingelezen"):
            services.approve_snapshot(older.id, reason="akkoord", actor=Actor.process("beheerder"))

    def test_unknown_snapshot(self, db_session):
        with pytest.raises(NotFoundError, match="Deze snapshot bestaat niet."):
            services.approve_snapshot(987654, reason="akkoord", actor=Actor.process("beheerder"))


class TestDiscard:
    def test_discard_needs_a_reason(self, mirror):
        snapshot = quarantined(load(TWENTY[5:], D2))
        for reason in ("", "   "):
            with pytest.raises(ServiceError) as exc:
                services.discard_snapshot(snapshot.id, reason=reason, actor=Actor.process("beheerder"))
            assert (exc.value.message, exc.value.field) == ("Geef een reden op.", "reden")
        assert db.session.get(RegisterSnapshot, snapshot.id).status == SnapshotStatus.QUARANTINED
        assert audit_events("register.snapshot_discarded") == []

    def test_discard_changes_nothing_and_is_audited(self, mirror):
        snapshot = quarantined(load(TWENTY[5:], D2))
        services.discard_snapshot(snapshot.id, reason="  Bron gaf een halve lijst  ", actor=Actor.process("beheerder"))
        db.session.expire_all()
        snapshot = db.session.get(RegisterSnapshot, snapshot.id)
        assert snapshot.status == SnapshotStatus.DISCARDED
        assert snapshot.raw_gzip is None
        assert snapshot.decided_by == "beheerder" and snapshot.decided_at is not None
        after = mirror_state()
        assert after["versions"] == mirror["versions"] and after["changes"] == mirror["changes"]
        [event] = audit_events("register.snapshot_discarded")
        assert event.object_id == str(snapshot.id)
        assert event.after == {"status": "verworpen", "reden": "Bron gaf een halve lijst"}
        assert services.list_quarantined() == []

    def test_a_discarded_file_imported_again_is_recognised(self, mirror):
        data = to_csv(TWENTY[5:])
        snapshot = quarantined(load(data, D2))
        services.discard_snapshot(snapshot.id, reason="onvolledig", actor=Actor.process("beheerder"))
        before = mirror_state()
        again = load(data, D2)
        assert again.outcome == "afgewezen"  # not a success: the mirror stays as stale as it was
        assert again.message == (f"Dit bestand is eerder verworpen door een beheerder (snapshot {snapshot.id}); "
                                 "er is niets gewijzigd.")
        assert mirror_state() == before

    def test_a_quarantined_file_imported_again_is_recognised(self, mirror):
        data = to_csv(TWENTY[5:])
        snapshot = quarantined(load(data, D2))
        before = mirror_state()
        again = load(data, D3)
        assert again.outcome == "quarantaine" and again.snapshot.id == snapshot.id
        assert again.message == (f"Dit bestand staat al in quarantaine (snapshot {snapshot.id}) en wacht op een "
                                 "beheerder.")
        assert mirror_state() == before

    def test_a_different_file_after_a_discard_is_applied(self, mirror):
        snapshot = quarantined(load(TWENTY[5:], D2))
        services.discard_snapshot(snapshot.id, reason="onvolledig", actor=Actor.process("beheerder"))
        result = load(TWENTY + [register_row(30)], D3)
        assert result.outcome == "toegepast" and result.counts["nieuw"] == 1


class TestDecidingTwice:
    @pytest.mark.parametrize("first, second", [
        ("approve", "approve"), ("approve", "discard"), ("discard", "approve"), ("discard", "discard")])
    def test_a_decision_is_final(self, mirror, first, second):
        snapshot = quarantined(load(TWENTY[5:], D2))

        def decide(how: str) -> None:
            if how == "approve":
                services.approve_snapshot(snapshot.id, reason="akkoord", actor=Actor.process("beheerder"))
            else:
                services.discard_snapshot(snapshot.id, reason="nee", actor=Actor.process("beheerder"))

        decide(first)
        before = mirror_state()
        message = {"approve": "Over deze snapshot is al beslist: ze is goedgekeurd en toegepast.",
                   "discard": "Over deze snapshot is al beslist: ze is verworpen."}[first]
        with pytest.raises(ServiceError) as exc:
            decide(second)
        assert exc.value.message == message
        assert mirror_state() == before

    def test_an_applied_snapshot_cannot_be_decided(self, mirror):
        applied = services.latest_snapshot("register")
        message = "^Over deze snapshot is al beslist: ze is direct toegepast, zonder quarantaine.$"
        with pytest.raises(ServiceError, match=message):
            services.approve_snapshot(applied.id, reason="akkoord", actor=Actor.process("beheerder"))
        with pytest.raises(ServiceError, match=message):
            services.discard_snapshot(applied.id, reason="x", actor=Actor.process("beheerder"))


def test_a_quarantined_snapshot_does_not_count_as_the_latest(mirror):
    """An older-dated import after a quarantined newer one is judged against the applied mirror only."""
    quarantined(load(TWENTY[5:], D4))
    assert services.latest_snapshot("register").snapshot_date == D1
    assert load(TWENTY + [register_row(21)], D2).outcome == "toegepast"
