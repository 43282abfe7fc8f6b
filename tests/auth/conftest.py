"""Fixtures for the account tests: cheap password hashing, a clock under the test's control, TOTP users."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest

from tests.auth.helpers import totp_code, use_fast_hashing
from wki.auth import services
from wki.auth.models import User
from wki.core.clock import utcnow


@pytest.fixture(autouse=True)
def fast_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters in every account test (a module overrides this to opt out)."""
    use_fast_hashing(monkeypatch)


class FakeClock:
    """A "now" that stands still until the test moves it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Freeze the clock of log-in, sessions and the second factor (``clock.advance(minutes=5)``).

    It starts a few seconds into a 30-second TOTP step, so "the same step" is unambiguous.
    """
    now = utcnow().replace(microsecond=0)
    fake = FakeClock(now - timedelta(seconds=now.second % 30) + timedelta(seconds=5))
    for module in ("wki.auth.services", "wki.auth.views", "wki.core.web"):
        monkeypatch.setattr(f"{module}.utcnow", fake)
    return fake


@dataclass
class TotpUser:
    user: User
    secret: str
    recovery_codes: list[str]
    clock: FakeClock

    def code(self, *, steps: int = 0) -> str:
        return totp_code(self.secret, self.clock.now, steps=steps)


@pytest.fixture
def make_totp_user(factories, clock) -> Callable[..., TotpUser]:
    """A user with the second factor switched on through the service (set up at the clock's now).

    The set-up used the current time step, so a log-in needs the code of a later step
    (``clock.advance(seconds=30)`` first).
    """

    def _make(**user_kwargs) -> TotpUser:
        user = factories.UserFactory(**user_kwargs)
        secret = services.new_totp_secret()
        codes = services.enable_totp(user=user, secret=secret, code=totp_code(secret, clock.now))
        return TotpUser(user=user, secret=secret, recovery_codes=codes, clock=clock)

    return _make
