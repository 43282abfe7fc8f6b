"""Every read and write about accounts: passwords, roles, log-in throttling, second factor."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy.orm import QueryableAttribute

from wki.auth.audit_actions import AuthAction
from wki.auth.models import LoginFailure, OneTimeSecret, RecoveryCode, User, UserRole
from wki.core import audit
from wki.core.actors import Actor
from wki.core.auth import Role
from wki.core.clock import utcnow
from wki.core.db import rows_affected
from wki.core.errors import NotFoundError, ServiceError
from wki.core.extensions import db
from wki.core.service import service

_hasher = PasswordHasher()
# Verified against when no user matches, so a missing account costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password-" + secrets.token_hex(8))

RECOVERY_CODE_COUNT = 10


# ---------------------------------------------------------------- helpers


def normalise_email(email: str) -> str:
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise ServiceError("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.", field="email") from None
    return result.normalized.lower()


# A shorter part before the @ ("jb@...") is no name to guess: refusing every password that contains
# "jb" would only annoy, and would make randomly generated passwords fail now and then.
_MIN_EMAIL_NAME_CHECKED = 3


def check_password_strength(password: str, *, email: str | None = None, field: str = "password") -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise ServiceError(f"Kies een wachtwoord van minimaal {minimum} tekens.", field=field)
    if len(password) > 200:
        raise ServiceError("Kies een wachtwoord van hoogstens 200 tekens.", field=field)
    email_name = email.split("@")[0].lower() if email else ""
    if len(email_name) >= _MIN_EMAIL_NAME_CHECKED and email_name in password.lower():
        raise ServiceError("Het wachtwoord mag uw e-mailadres niet bevatten.", field=field)
    if len(set(password)) < 5:
        raise ServiceError("Het wachtwoord is te eenvoudig; gebruik meer verschillende tekens.", field=field)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _verify_password(user: User | None, password: str) -> bool:
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return user is not None


def _user_snapshot(user: User) -> dict:
    return {
        "email": user.email,
        "naam": user.name,
        "rollen": sorted(user.role_set),
        "actief": user.active,
        "tweede_factor": user.totp_enabled,
    }


def _parse_roles(roles: Iterable[str | Role]) -> set[Role]:
    try:
        return {Role(r) for r in roles}
    except ValueError:
        raise ServiceError("Onbekende rol gekozen.", field="roles") from None


# ---------------------------------------------------------------- queries


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFoundError("Gebruiker niet gevonden.")
    return user


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def load_user_for_session(session_id: str) -> User | None:
    """Flask-Login's loader: ``"<id>:<session_version>"``; a stale version ends the session."""
    try:
        raw_id, raw_version = session_id.split(":", 1)
        user = db.session.get(User, int(raw_id))
    except (ValueError, TypeError):
        return None
    if user is None or not user.active or str(user.session_version) != raw_version:
        return None
    if user.is_demo and not current_app.config["DEMO_MODE"]:
        return None  # demo accounts exist only where DEMO_MODE is on, also for sessions already open
    return user


def list_users(*, query: str | None = None, role: str | None = None, include_inactive: bool = True) -> list[User]:
    stmt = sa.select(User).order_by(User.name, User.email)
    if query:
        # autoescape: "%" and "_" in what the administrator typed are searched for literally
        stmt = stmt.where(sa.or_(User.email.icontains(query.strip(), autoescape=True),
                                 User.name.icontains(query.strip(), autoescape=True)))
    if role:
        stmt = stmt.where(User.id.in_(sa.select(UserRole.user_id).where(UserRole.role == role)))
    if not include_inactive:
        stmt = stmt.where(User.active.is_(True))
    return list(db.session.scalars(stmt))


def count_users() -> dict[str, int]:
    now = utcnow()

    def count_if(condition: Any) -> Any:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    # One query for the three (the dashboard shows them together).
    active, locked, without_totp = db.session.execute(sa.select(
        count_if(User.active.is_(True)), count_if(User.locked_until > now),
        count_if(sa.and_(User.active.is_(True), User.totp_enabled_at.is_(None)))).select_from(User)).one()
    return {"active": int(active or 0), "locked": int(locked or 0), "without_totp": int(without_totp or 0)}


def is_locked(user: User) -> bool:
    return user.locked_until is not None and user.locked_until > utcnow()


# ---------------------------------------------------------------- account management


@service
def create_user(
    *, email: str, name: str, roles: Iterable[str | Role], password: str,
    is_demo: bool = False, must_change_password: bool = False, actor: Actor | None = None,
) -> User:
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise ServiceError("Vul de naam in.", field="name")
    if find_user_by_email(email):
        raise ServiceError("Er bestaat al een gebruiker met dit e-mailadres.", field="email")
    parsed = _parse_roles(roles)
    if not parsed:
        raise ServiceError("Kies minstens één rol.", field="roles")
    check_password_strength(password, email=email)
    user = User(
        email=email, name=name, password_hash=hash_password(password), is_demo=is_demo,
        must_change_password=must_change_password, password_changed_at=utcnow(),
    )
    user.role_rows = [UserRole(role=r.value) for r in sorted(parsed)]
    db.session.add(user)
    db.session.flush()
    audit.record(AuthAction.USER_CREATED, object_type="gebruiker", object_id=user.id,
                 after=_user_snapshot(user), actor=actor)
    return user


@service
def update_user(*, user_id: int, name: str, roles: Iterable[str | Role], actor: Actor | None = None) -> User:
    user = get_user(user_id)
    before = _user_snapshot(user)
    parsed = _parse_roles(roles)
    if not parsed:
        raise ServiceError("Kies minstens één rol.", field="roles")
    if actor is not None and actor.is_user(user.id) and Role.BEHEERDER not in parsed:
        raise ServiceError("U kunt uw eigen beheerdersrol niet intrekken.", field="roles")
    if Role.BEHEERDER in user.role_set and Role.BEHEERDER not in parsed:
        _ensure_other_admin(user)
    if not name.strip():
        raise ServiceError("Vul de naam in.", field="name")
    user.name = name.strip()
    if parsed != user.role_set:
        user.role_rows = [UserRole(role=r.value) for r in sorted(parsed)]
        user.session_version += 1  # new roles take effect at the next log-in, never half-way
    db.session.flush()
    after = _user_snapshot(user)
    if after != before:
        audit.record(AuthAction.USER_CHANGED, object_type="gebruiker", object_id=user.id, before=before,
                     after=after, actor=actor)
    return user


def _ensure_other_admin(user: User) -> None:
    others = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).join(UserRole)
        .where(UserRole.role == Role.BEHEERDER.value, User.active.is_(True), User.id != user.id)
    )
    if not others:
        raise ServiceError("Er moet minstens één actieve beheerder overblijven.")


@service
def set_active(*, user_id: int, active: bool, actor: Actor | None = None) -> User:
    user = get_user(user_id)
    if user.active == active:
        return user
    if not active:
        if actor is not None and actor.is_user(user.id):
            raise ServiceError("U kunt uw eigen account niet deactiveren.")
        if Role.BEHEERDER in user.role_set:
            _ensure_other_admin(user)
    before = _user_snapshot(user)
    user.active = active
    user.session_version += 1
    db.session.flush()
    audit.record(AuthAction.USER_ACTIVATED if active else AuthAction.USER_DEACTIVATED, object_type="gebruiker",
                 object_id=user.id, before=before, after=_user_snapshot(user), actor=actor)
    return user


def change_own_password(*, user: User, current_password: str, new_password: str) -> None:
    if not _verify_password(user, current_password):
        raise ServiceError("Het huidige wachtwoord is onjuist.", field="current_password")
    if current_password == new_password:
        raise ServiceError("Kies een ander wachtwoord dan het huidige.", field="new_password")
    check_password_strength(new_password, email=user.email, field="new_password")
    user.password_hash = hash_password(new_password)
    user.must_change_password = False
    user.password_changed_at = utcnow()
    user.session_version += 1
    db.session.flush()
    audit.record(AuthAction.PASSWORD_CHANGED, object_type="gebruiker", object_id=user.id, actor=Actor.of(user))


def generate_temporary_password(*, email: str | None = None) -> str:
    """Four random groups, e.g. ``x7Kq-9fZw-Lm2a-Qp0r``: strong, and easy to read out over the phone.

    With ``email``, the password is guaranteed to pass :func:`check_password_strength` for that user
    (a random password can, rarely, contain the name before the @).
    """
    while True:
        password = "-".join(secrets.token_urlsafe(3) for _ in range(4))
        try:
            check_password_strength(password, email=email)
        except ServiceError:
            continue
        return password


@service
def reset_password(*, user_id: int, actor: Actor | None = None, new_password: str | None = None) -> str:
    """Give the user a new temporary password (returned once) that must be changed at the next log-in."""
    user = get_user(user_id)
    password = new_password or generate_temporary_password(email=user.email)
    check_password_strength(password, email=user.email)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.password_changed_at = utcnow()
    # A reset unlocks the account; the failures that locked it go too, or one typo would lock it again.
    user.locked_until = None
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.email == user.email))
    user.session_version += 1
    db.session.flush()
    audit.record(AuthAction.PASSWORD_RESET, object_type="gebruiker", object_id=user.id, actor=actor)
    return password


@service
def unlock(*, user_id: int, actor: Actor | None = None) -> User:
    user = get_user(user_id)
    before = {"geblokkeerd_tot": user.locked_until}
    user.locked_until = None
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.email == user.email))
    db.session.flush()
    audit.record(AuthAction.USER_UNLOCKED, object_type="gebruiker", object_id=user.id, before=before,
                 after={"geblokkeerd_tot": None}, actor=actor)
    return user


@service
def reset_second_factor(*, user_id: int, actor: Actor | None = None) -> User:
    user = get_user(user_id)
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_counter = None
    user.recovery_codes = []
    user.session_version += 1
    db.session.flush()
    audit.record(AuthAction.SECOND_FACTOR_RESET, object_type="gebruiker", object_id=user.id, actor=actor)
    return user


# ---------------------------------------------------------------- log-in


@dataclass
class LoginResult:
    user: User | None
    error: str | None = None


LOCK_MESSAGE = ("Te veel mislukte pogingen. Om uw account te beschermen kunt u pas over {minutes} minuten "
                "opnieuw inloggen, of vraag een beheerder het account te deblokkeren.")
WRONG_MESSAGE = "Het e-mailadres of het wachtwoord is onjuist."


def _recent_failures(column: QueryableAttribute[str | None], value: str, *, not_before: datetime | None = None) -> int:
    since = utcnow() - timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    if not_before is not None and not_before > since:
        since = not_before
    stmt = sa.select(sa.func.count()).select_from(LoginFailure).where(column == value, LoginFailure.occurred_at >= since)
    return db.session.scalar(stmt) or 0


def _reserve_attempt(email_key: str, ip_address: str | None) -> LoginFailure:
    """Count this attempt as a failure *before* the password is checked, and commit it.

    Checking first and counting afterwards lets parallel guesses all pass the check while none has
    been counted yet (30 parallel requests once got 19 password checks against a limit of 5). A row
    committed before counting cannot be missed: the n-th attempt to commit sees at least n rows, on
    PostgreSQL and SQLite alike, so at most the limit of attempts reach the password check. The
    commit is an exception to "the request commits once": the other requests must see the row now.
    """
    attempt = LoginFailure(email=email_key, ip_address=ip_address, occurred_at=utcnow())
    db.session.add(attempt)
    db.session.commit()
    return attempt


def _lock_under_attack(user: User, email_key: str) -> None:
    """Lock an account that more attempts than the limit reached at once.

    Parallel attempts can leave the lock unset: when two commit their records together, both count
    one over the limit and both are refused, so fewer than the limit reach the password check and
    none of those decides on the lock. One atomic UPDATE, so parallel refusals lock (and audit) once.
    """
    now = utcnow()
    until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    result = db.session.execute(
        sa.update(User).where(User.id == user.id, sa.or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(locked_until=until).execution_options(synchronize_session="fetch")
    )
    if rows_affected(result):
        audit.record(AuthAction.USER_LOCKED, object_type="gebruiker", object_id=user.id,
                     after={"geblokkeerd_tot": until}, actor=Actor.process(email_key))


def authenticate(*, email: str, password: str, ip_address: str | None) -> LoginResult:
    """Check e-mail and password, with throttling per account and per address.

    Messages never reveal whether an account exists. Failures are stored by the e-mail address as
    typed, so probing unknown addresses is throttled exactly like guessing a real account's password.
    Every attempt is first recorded as a failure (see :func:`_reserve_attempt`); one over a limit is
    refused without a password check, and a right password takes its record back.
    """
    cfg = current_app.config
    email_key = email.strip().lower()[:320]
    lock_msg = LOCK_MESSAGE.format(minutes=cfg["LOGIN_LOCK_MINUTES"])
    max_account = cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    max_address = cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    if ip_address and _recent_failures(LoginFailure.ip_address, ip_address) >= max_address:
        audit.record(AuthAction.LOGIN_REFUSED_ADDRESS, object_type="aanmelden", after={"email": email_key})
        return LoginResult(None, lock_msg)
    user = find_user_by_email(email_key)
    if user is not None and is_locked(user):
        _verify_password(None, password)  # same cost as any other attempt
        audit.record(AuthAction.LOGIN_REFUSED_LOCKED, object_type="gebruiker", object_id=user.id,
                     actor=Actor.process(email_key))
        return LoginResult(None, lock_msg)
    attempt = _reserve_attempt(email_key, ip_address)
    # The checks above are cheap answers for the common case; these decide, counting this attempt.
    if ip_address and _recent_failures(LoginFailure.ip_address, ip_address) > max_address:
        db.session.delete(attempt)  # refused unchecked: no guess was made
        db.session.flush()
        audit.record(AuthAction.LOGIN_REFUSED_ADDRESS, object_type="aanmelden", after={"email": email_key})
        return LoginResult(None, lock_msg)
    # Read again after the commit: a parallel attempt may have locked the account meanwhile. The
    # failures that caused a lock now over do not refuse the right password (the lock was their
    # consequence); they still count when the next failure decides on a new lock, below.
    locked_now = user is not None and is_locked(user)
    lock_ended = user.locked_until if user is not None and not locked_now else None
    if locked_now or _recent_failures(LoginFailure.email, email_key, not_before=lock_ended) > max_account:
        db.session.delete(attempt)
        db.session.flush()
        _verify_password(None, password)  # same cost as any other attempt
        if user is not None:
            if not locked_now:
                _lock_under_attack(user, email_key)
            audit.record(AuthAction.LOGIN_REFUSED_LOCKED, object_type="gebruiker", object_id=user.id,
                         actor=Actor.process(email_key))
        return LoginResult(None, lock_msg)
    ok = _verify_password(user, password)
    refused_demo = ok and user is not None and user.is_demo and not cfg["DEMO_MODE"]
    if ok and user is not None and user.active and not refused_demo:
        db.session.delete(attempt)
        if _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        db.session.flush()
        return LoginResult(user)
    audit.record(AuthAction.LOGIN_FAILED, object_type="gebruiker" if user else "aanmelden",
                 object_id=user.id if user else None, actor=Actor.process(email_key))
    if user is not None and _recent_failures(LoginFailure.email, email_key) >= max_account:
        user.locked_until = utcnow() + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
        audit.record(AuthAction.USER_LOCKED, object_type="gebruiker", object_id=user.id,
                     after={"geblokkeerd_tot": user.locked_until}, actor=Actor.process(email_key))
        return LoginResult(None, lock_msg)
    if user is None and _recent_failures(LoginFailure.email, email_key) >= max_account:
        return LoginResult(None, lock_msg)
    return LoginResult(None, WRONG_MESSAGE)


def record_login(user: User, *, method: str) -> None:
    user.last_login_at = utcnow()
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.email == user.email))
    db.session.flush()
    audit.record(AuthAction.LOGGED_IN, object_type="gebruiker", object_id=user.id, actor=Actor.of(user),
                 after={"methode": method})


def record_logout(user: User) -> None:
    """End the session server-side: a copy of the session cookie saved earlier no longer works.

    The session names the user's ``session_version``; moving it on refuses every session opened
    before, on this device and on others (a log-out is therefore "log out everywhere"). The user's
    one-time secrets not yet shown go too.
    """
    user.session_version += 1
    db.session.execute(sa.delete(OneTimeSecret).where(OneTimeSecret.owner_id == user.id))
    db.session.flush()
    audit.record(AuthAction.LOGGED_OUT, object_type="gebruiker", object_id=user.id, actor=Actor.of(user))


def purge_login_failures(*, older_than: timedelta = timedelta(days=30)) -> int:
    result = db.session.execute(sa.delete(LoginFailure).where(LoginFailure.occurred_at < utcnow() - older_than))
    return rows_affected(result)


# ---------------------------------------------------------------- second factor (TOTP)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["TOTP_ISSUER"])


def _match_totp(secret: str, code: str, last_counter: int | None) -> int | None:
    """Return the matching time step (±1 step of clock drift), refusing a step already used."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now_counter = totp.timecode(utcnow())
    for counter in (now_counter, now_counter - 1, now_counter + 1):
        if last_counter is not None and counter <= last_counter:
            continue
        if hmac.compare_digest(totp.generate_otp(counter), code):
            return counter
    return None


def _hash_code(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def enable_totp(*, user: User, secret: str, code: str) -> list[str]:
    """Switch on the second factor after the user proved the app works; returns fresh recovery codes."""
    counter = _match_totp(secret, code, None)
    if counter is None:
        raise ServiceError("De code klopt niet. Controleer de tijd op uw telefoon en vul de nieuwste code in.",
                           field="code")
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_counter = counter
    codes = _replace_recovery_codes(user)
    audit.record(AuthAction.SECOND_FACTOR_SET_UP, object_type="gebruiker", object_id=user.id, actor=Actor.of(user))
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    codes = [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}-{secrets.token_hex(2)}" for _ in range(RECOVERY_CODE_COUNT)]
    user.recovery_codes = [RecoveryCode(code_hash=_hash_code(c)) for c in codes]
    db.session.flush()
    return codes


def regenerate_recovery_codes(*, user: User) -> list[str]:
    if not user.totp_enabled:
        raise ServiceError("Stel eerst tweestapsverificatie in.")
    codes = _replace_recovery_codes(user)
    audit.record(AuthAction.RECOVERY_CODES_RENEWED, object_type="gebruiker", object_id=user.id, actor=Actor.of(user))
    return codes


def verify_second_factor(*, user: User, code: str) -> str | None:
    """Check an authenticator code or an unused recovery code; returns the method used, or None.

    Throttled as the password is (see :func:`authenticate`): the attempt is first recorded and
    committed as a failure (:func:`_reserve_attempt`), so parallel wrong codes cannot all be checked
    before any of them was counted; one over the limit is refused unchecked, and a right code takes
    its record back.
    """
    if not user.totp_enabled or not user.totp_secret:
        return None
    cfg = current_app.config
    max_account = cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    email_key = user.email
    attempt = _reserve_attempt(email_key, None)
    # Read again after the commit: a parallel attempt may have locked the account meanwhile.
    locked_now = is_locked(user)
    lock_ended = user.locked_until if not locked_now else None
    if locked_now or _recent_failures(LoginFailure.email, email_key, not_before=lock_ended) > max_account:
        db.session.delete(attempt)  # refused unchecked: no guess was made
        db.session.flush()
        if not locked_now:
            _lock_under_attack(user, email_key)
        audit.record(AuthAction.LOGIN_REFUSED_LOCKED, object_type="gebruiker", object_id=user.id,
                     actor=Actor.process(email_key))
        return None
    counter = _match_totp(user.totp_secret, code, user.totp_last_counter)
    if counter is not None:
        user.totp_last_counter = counter
        db.session.delete(attempt)
        db.session.flush()
        return "totp"
    wanted = _hash_code(code)
    for rc in user.recovery_codes:
        if rc.used_at is None and hmac.compare_digest(rc.code_hash, wanted):
            rc.used_at = utcnow()
            db.session.delete(attempt)
            db.session.flush()
            audit.record(AuthAction.RECOVERY_CODE_USED, object_type="gebruiker", object_id=user.id, actor=Actor.of(user))
            return "herstelcode"
    audit.record(AuthAction.SECOND_FACTOR_FAILED, object_type="gebruiker", object_id=user.id, actor=Actor.process(email_key))
    if _recent_failures(LoginFailure.email, email_key) >= max_account:
        user.locked_until = utcnow() + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
        audit.record(AuthAction.USER_LOCKED, object_type="gebruiker", object_id=user.id,
                     after={"geblokkeerd_tot": user.locked_until}, actor=Actor.process(email_key))
    return None


def unused_recovery_code_count(user: User) -> int:
    return sum(1 for rc in user.recovery_codes if rc.used_at is None)


def locked_until(user: User) -> datetime | None:
    return user.locked_until if is_locked(user) else None


# ---------------------------------------------------------------- one-time secrets


ONE_TIME_SECRET_MINUTES = 15


def stash_secret(*, owner: User, purpose: str, value: Any, subject_id: int | None = None) -> str:
    """Keep ``value`` server-side for ``owner`` to see once; returns the random key for the session.

    An earlier secret of the same owner and purpose that was never shown is replaced.
    """
    purge_expired_secrets()
    db.session.execute(sa.delete(OneTimeSecret).where(OneTimeSecret.owner_id == owner.id,
                                                      OneTimeSecret.purpose == purpose))
    key = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(OneTimeSecret(key=key, owner_id=owner.id, purpose=purpose, subject_id=subject_id,
                                 value={"value": value}, created_at=now,
                                 expires_at=now + timedelta(minutes=ONE_TIME_SECRET_MINUTES)))
    db.session.flush()
    return key


def _find_secret(key: str | None, *, owner: User, purpose: str, subject_id: int | None) -> OneTimeSecret | None:
    if not key or not isinstance(key, str):
        return None
    return db.session.scalar(sa.select(OneTimeSecret).where(
        OneTimeSecret.key == key, OneTimeSecret.owner_id == owner.id, OneTimeSecret.purpose == purpose,
        OneTimeSecret.subject_id.is_(None) if subject_id is None else OneTimeSecret.subject_id == subject_id,
        OneTimeSecret.expires_at > utcnow(),
    ))


def peek_secret(key: str | None, *, owner: User, purpose: str, subject_id: int | None = None) -> Any | None:
    """The value behind ``key`` if it is ``owner``'s, for ``purpose`` and not expired; it stays."""
    row = _find_secret(key, owner=owner, purpose=purpose, subject_id=subject_id)
    return row.value["value"] if row else None


def take_secret(key: str | None, *, owner: User, purpose: str, subject_id: int | None = None) -> Any | None:
    """As :func:`peek_secret`, and delete it: the value is shown this once."""
    row = _find_secret(key, owner=owner, purpose=purpose, subject_id=subject_id)
    if row is None:
        return None
    value = row.value["value"]
    db.session.delete(row)
    db.session.flush()
    return value


def discard_secret(key: str | None) -> None:
    if key and isinstance(key, str):
        db.session.execute(sa.delete(OneTimeSecret).where(OneTimeSecret.key == key))


def purge_expired_secrets() -> int:
    result = db.session.execute(sa.delete(OneTimeSecret).where(OneTimeSecret.expires_at <= utcnow()))
    return rows_affected(result)


def users_mentioning(terms: Iterable[str], *, limit: int = 50) -> list[dict[str, Any]]:
    """Accounts whose name or e-mail address holds one of ``terms`` (a request for access under art. 15 AVG
    by a colleague): plain values. An account is never erased by such a request: it is deactivated under
    Gebruikers, and the audit trail keeps who did what."""
    conditions = [c for t in terms for c in (User.name.icontains(t, autoescape=True),
                                              User.email.icontains(t, autoescape=True))]
    if not conditions:
        return []
    rows = db.session.scalars(sa.select(User).where(sa.or_(*conditions)).order_by(User.id).limit(limit))
    return [{"id": u.id, "naam": u.name, "email": u.email, "actief": u.active,
             "laatst_ingelogd": u.last_login_at} for u in rows]
