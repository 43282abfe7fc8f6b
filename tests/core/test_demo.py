"""Synthetic demo data: deterministic per seed, only in demo/development, never an endless loop."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import sqlalchemy as sa

from wki import demo
from wki.auth import services as accounts
from wki.auth.models import User
from wki.core.audit import AuditEvent
from wki.core.clock import today_local
from wki.core.errors import ServiceError
from wki.core.extensions import db
from wki.core.iban import iban_is_valid
from wki.demo import DEMO_DOMAIN, DEMO_PASSWORD, demo_accounts, seed_demo
from wki.register import queries
from wki.register.models import RegisterChange, RegisterSnapshot, RegisterSyncRun


@pytest.fixture
def fast_hashing(monkeypatch):
    """argon2 is slow by design; the seed's logic does not depend on it."""
    monkeypatch.setattr(accounts, "hash_password", lambda password: "snel$" + password)


def _demo_users() -> list[tuple[str, str, list[str], bool]]:
    db.session.expire_all()
    users = db.session.scalars(sa.select(User).where(User.is_demo.is_(True)).order_by(User.id))
    return [(u.email, u.name, sorted(u.role_set), u.active) for u in users]


def _seed_and_roll_back(db_session, **kwargs) -> list[tuple[str, str, list[str], bool]]:
    nested = db_session.begin_nested()
    seed_demo(**kwargs)
    made = _demo_users()
    nested.rollback()
    assert _demo_users() == []
    return made


class TestSeedDemo:
    def test_same_seed_same_people(self, db_session, fast_hashing):
        first = _seed_and_roll_back(db_session, seed=7, extra_users=5, if_empty=False)
        second = _seed_and_roll_back(db_session, seed=7, extra_users=5, if_empty=False)
        assert first == second
        assert len(first) == len(demo_accounts()) + 5
        other = _seed_and_roll_back(db_session, seed=8, extra_users=5, if_empty=False)
        assert other[:5] == first[:5]  # the fixed demo accounts
        assert other[5:] != first[5:]

    def test_creates_the_documented_accounts_and_unique_colleagues(self, db_session, fast_hashing):
        assert seed_demo(seed=3, extra_users=12, if_empty=False) is True
        made = _demo_users()
        emails = [m[0] for m in made]
        assert emails[:5] == [email for email, _ in demo_accounts()]
        assert len(set(emails)) == len(emails) == 17
        assert all(e.endswith("@" + DEMO_DOMAIN) for e in emails)
        assert all(roles for _, _, roles, _ in made)
        assert ["beheerder"] in [roles for _, _, roles, _ in made[:5]]

    def test_every_account_is_audited_as_the_seed(self, db_session, fast_hashing):
        seed_demo(seed=1, extra_users=2, if_empty=False)
        actors = set(db.session.scalars(sa.select(AuditEvent.actor_email).where(
            AuditEvent.action == "gebruiker.aangemaakt")))
        assert actors == {"demo-seed"}

    def test_if_empty_skips_when_users_exist(self, db_session, factories, fast_hashing):
        factories.UserFactory()
        assert seed_demo(seed=7, extra_users=5, if_empty=True) is False
        assert _demo_users() == []

    def test_running_again_keeps_the_accounts_and_adds_colleagues(self, db_session, fast_hashing):
        seed_demo(seed=7, extra_users=2, if_empty=False)
        seed_demo(seed=7, extra_users=2, if_empty=False)
        assert len(_demo_users()) == 5 + 4

    def test_more_colleagues_than_the_name_pool_holds_is_refused(self, db_session, monkeypatch, fast_hashing):
        monkeypatch.setattr(demo, "FIRST_NAMES", ["Anouk", "Bram"])
        monkeypatch.setattr(demo, "SURNAMES", ["Bos", "de Vries"])
        with pytest.raises(ServiceError, match="hoogstens 4 extra"):
            seed_demo(seed=1, extra_users=5, if_empty=False)
        assert _demo_users() == []  # refused before anything was made

        seed_demo(seed=1, extra_users=4, if_empty=False)  # exactly the pool: fine
        assert {m[0] for m in _demo_users()[5:]} == {
            f"{n}@{DEMO_DOMAIN}" for n in ("anouk.bos", "anouk.devries", "bram.bos", "bram.devries")}
        with pytest.raises(ServiceError, match="hoogstens 0 extra"):
            seed_demo(seed=1, extra_users=1, if_empty=False)

    def test_a_negative_number_is_refused(self, db_session):
        with pytest.raises(ServiceError):
            seed_demo(seed=1, extra_users=-1, if_empty=False)


class TestDemoCli:
    def test_seed_is_deterministic_and_prints_the_accounts(self, cli, db_session):
        expected = _seed_and_roll_back(db_session, seed=7, extra_users=5, if_empty=False)

        result = cli.invoke(args=["demo", "seed", "--seed", "7", "--users", "5"])

        assert result.exit_code == 0, result.output
        assert "Demogegevens geladen." in result.output
        assert f"wachtwoord voor allemaal: {DEMO_PASSWORD}" in result.output
        for email, _roles in demo_accounts():
            assert email in result.output
        assert _demo_users() == expected
        beheerder = accounts.find_user_by_email(f"beheerder@{DEMO_DOMAIN}")
        assert accounts._verify_password(beheerder, DEMO_PASSWORD)

    def test_if_empty_does_nothing_when_users_exist(self, cli, db_session, factories):
        factories.UserFactory()
        db_session.commit()
        result = cli.invoke(args=["demo", "seed", "--if-empty"])
        assert result.exit_code == 0
        assert "Database bevat al gegevens; niets toegevoegd." in result.output
        assert _demo_users() == []

    def test_if_empty_fills_an_empty_database(self, cli, db_session, fast_hashing):
        assert db_session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
        result = cli.invoke(args=["demo", "seed", "--if-empty", "--users", "1"])
        assert result.exit_code == 0
        assert "Demogegevens geladen." in result.output
        assert len(_demo_users()) == 6

    def test_refused_outside_demo_mode(self, app, cli, db_session, monkeypatch):
        monkeypatch.setitem(app.config, "DEMO_MODE", False)
        result = cli.invoke(args=["demo", "seed"])
        assert result.exit_code == 1
        assert "Demogegevens zijn alleen toegestaan in de demo-/ontwikkelomgeving." in result.output
        assert db_session.scalar(sa.select(sa.func.count()).select_from(User)) == 0

    def test_too_many_users_gives_a_dutch_error(self, cli, db_session):
        result = cli.invoke(args=["demo", "seed", "--users", "100000"])
        assert result.exit_code == 1
        assert "unieke demonamen" in result.output
        assert _demo_users() == []

    def test_negative_number_of_users_is_refused(self, cli, db_session):
        result = cli.invoke(args=["demo", "seed", "--users", "-3"])
        assert result.exit_code == 2
        assert _demo_users() == []


class TestDemoRegister:
    """The register mirror's demo data: three snapshots through the import service, and one in quarantine."""

    def _snapshots(self) -> list[tuple[str, str]]:
        stmt = sa.select(RegisterSnapshot.kind, RegisterSnapshot.status).order_by(RegisterSnapshot.id)
        return [tuple(r) for r in db.session.execute(stmt)]

    def test_fills_the_mirror_with_history(self, db_session, fast_hashing):
        seed_demo(seed=7, extra_users=0, if_empty=False)
        assert self._snapshots() == [("register", "toegepast")] * 3 + [
            ("vrijgestelden", "toegepast"), ("register", "quarantaine")]
        assert queries.current_count() == demo.REGISTER_AGENCIES  # one registered, one left
        today = today_local()
        current = queries.registrations_as_of(today)
        assert {v.status for v in current} == {"ingeschreven", "doorgehaald", "verlopen"}
        counts = queries.expiry_counts()
        assert counts["30"] >= 1 and counts["60"] >= 2 and counts["verstreken"] >= 1
        assert all(iban_is_valid(i) for v in current for i in v.iban_list)
        assert sum(1 for v in current if v.iban_list) > 20
        assert len(queries.exempt_parties_as_of(today)) == 6
        # Some months of history: the first agency gained a trade name, one left the register.
        first = next(v.registratienummer for v in current if v.registratienummer.endswith("-00001"))
        assert any(e.text == "handelsnaam toegevoegd: NKI Collect" for e in queries.timeline(first))
        start = queries.mirror_start()
        assert start is not None and (today - start).days >= 150
        assert len(queries.registrations_as_of(start)) == demo.REGISTER_AGENCIES
        kinds = {c.kind for c in db.session.scalars(sa.select(RegisterChange))}
        assert {"gewijzigd", "verdwenen"} <= kinds
        assert len(queries.registrations_as_of(today - timedelta(days=50))) == demo.REGISTER_AGENCIES + 1
        runs = list(db.session.scalars(sa.select(RegisterSyncRun).order_by(RegisterSyncRun.id)))
        assert [r.outcome for r in runs] == ["toegepast"] * 4 + ["quarantaine"]

    def test_leaves_the_last_files_where_the_demo_sync_reads_them(self, app, db_session, fast_hashing,
                                                                 monkeypatch, tmp_path):
        from wki.register.sync import run_sync

        monkeypatch.setitem(app.config, "DEMO_SYNC_DIR", str(tmp_path))
        monkeypatch.setitem(app.config, "REGISTER_SYNC_SOURCE", str(tmp_path / "register.csv"))
        seed_demo(seed=7, extra_users=0, if_empty=False)
        db.session.commit()  # run_sync starts by ending the open transaction, as a real process would
        assert (tmp_path / "vrijgestelden.csv").exists()
        run = run_sync("register", trigger="handmatig")
        assert run.outcome == "ongewijzigd", run.message  # the same file as the last one applied

    def test_without_a_demo_directory_no_file_is_written(self, app, db_session, fast_hashing, monkeypatch, tmp_path):
        monkeypatch.setitem(app.config, "DEMO_SYNC_DIR", None)
        monkeypatch.chdir(tmp_path)
        seed_demo(seed=7, extra_users=0, if_empty=False)
        assert list(tmp_path.iterdir()) == []

    def test_same_seed_same_register(self, db_session, fast_hashing):
        exports = []
        for _ in range(2):
            nested = db_session.begin_nested()
            seed_demo(seed=7, extra_users=0, if_empty=False)
            exports.append(queries.export_snapshot("register"))
            nested.rollback()
        assert exports[0] == exports[1]
        assert exports[0].count(b"\n") == demo.REGISTER_AGENCIES + 1

    def test_an_existing_mirror_is_left_alone(self, db_session, fast_hashing):
        seed_demo(seed=7, extra_users=0, if_empty=False)
        before = self._snapshots()
        seed_demo(seed=8, extra_users=0, if_empty=False)
        assert self._snapshots() == before
        assert demo.seed_register(seed=7) is False

    def test_demo_ibans_pass_the_checksum(self):
        rng = random.Random(1)
        assert all(iban_is_valid(demo.demo_iban(rng)) for _ in range(200))


class TestSeedSignals:
    def test_every_verdict_a_clone_and_suspects_with_several_names(self, db_session, fast_hashing):
        from wki.signals.models import Signal, Suspect, SuspectStatus, Verdict

        seed_demo(seed=5, extra_users=0, if_empty=False)
        signals = list(db.session.scalars(sa.select(Signal)))
        verdicts = {s.verdict for s in signals}
        assert verdicts >= {Verdict.REGISTERED, Verdict.EXEMPT, Verdict.UNREGISTERED, Verdict.UNCERTAIN}
        assert any(s.clone_of for s in signals)
        assert any(s.bik_exceeded for s in signals)
        suspects = list(db.session.scalars(sa.select(Suspect).where(Suspect.status == SuspectStatus.ACTIVE)))
        assert any(len(s.names) > 1 and s.signal_count >= 3 for s in suspects)
        assert any(s.identifiers["kvk"] for s in suspects)  # the KvK extract's firms that are not registered

    def test_signals_are_seeded_once(self, db_session, fast_hashing):
        from wki.signals.demo import seed_signals

        seed_demo(seed=5, extra_users=0, if_empty=False)
        assert seed_signals(seed=5) is False
