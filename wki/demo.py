"""Synthetic, deterministic demo data (demo/development configuration only)."""

from __future__ import annotations

import random
from itertools import product

import sqlalchemy as sa

from wki.auth import services as accounts
from wki.auth.models import User
from wki.core.auth import Role
from wki.core.errors import ServiceError
from wki.extensions import db

DEMO_PASSWORD = "wki-demo-wachtwoord"
DEMO_DOMAIN = "demo.wki-inspectie.nl"
_ACCOUNTS = [
    ("inspecteur", "Inspecteur Demo", [Role.INSPECTEUR]),
    ("voorlichting", "Voorlichter Demo", [Role.VOORLICHTING]),
    ("handhaver", "Handhaver Demo", [Role.HANDHAVER]),
    ("beheerder", "Beheerder Demo", [Role.BEHEERDER]),
    ("teamleider", "Teamleider Demo", [Role.INSPECTEUR, Role.HANDHAVER]),
]
FIRST_NAMES = ["Anouk", "Bram", "Charlotte", "Daan", "Eva", "Femke", "Gijs", "Hanna", "Iris", "Jeroen", "Kim",
               "Lars", "Maaike", "Niels", "Olga", "Pieter", "Roos", "Sanne", "Thijs", "Wouter", "Yara", "Zeynep",
               "Mohamed", "Fatima", "Sem", "Noor"]
SURNAMES = ["de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
            "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit",
            "Dijkstra", "Kaya", "El Amrani", "Yilmaz", "van Dijk", "Koster"]


def demo_accounts() -> list[tuple[str, str]]:
    return [(f"{local}@{DEMO_DOMAIN}", ", ".join(r.value for r in roles)) for local, _, roles in _ACCOUNTS]


def _colleague_email(first: str, last: str) -> str:
    return f"{first}.{last}".lower().replace(" ", "") + f"@{DEMO_DOMAIN}"


def _free_colleague_emails() -> set[str]:
    """The colleagues' addresses the name pool can still make."""
    possible = {_colleague_email(first, last) for first, last in product(FIRST_NAMES, SURNAMES)}
    taken = set(db.session.scalars(sa.select(User.email).where(User.email.like(f"%@{DEMO_DOMAIN}"))))
    return possible - taken


def seed_demo(*, seed: int, extra_users: int, if_empty: bool) -> bool:
    """Create the demo accounts and ``extra_users`` colleagues; returns False when skipped.

    Raises ServiceError, before creating anything, when the name pool cannot make that many new
    colleagues (the loop below would otherwise draw names for ever).
    """
    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        return False
    if extra_users < 0:
        raise ServiceError("Het aantal extra gebruikers kan niet negatief zijn.")
    available = len(_free_colleague_emails())
    if extra_users > available:
        raise ServiceError(f"Er zijn nog {available} unieke demonamen vrij; vraag om hoogstens {available} "
                           f"extra gebruikers in plaats van {extra_users}.")
    rng = random.Random(seed)
    actor = "demo-seed"
    for local, name, roles in _ACCOUNTS:
        email = f"{local}@{DEMO_DOMAIN}"
        if accounts.find_user_by_email(email) is None:
            accounts.create_user(email=email, name=name, roles=roles, password=DEMO_PASSWORD, is_demo=True,
                                 actor_email=actor)
    role_pool = [Role.INSPECTEUR] * 5 + [Role.HANDHAVER] * 3 + [Role.VOORLICHTING] * 2
    made = 0
    while made < extra_users:
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        email = _colleague_email(first, last)
        if accounts.find_user_by_email(email) is not None:
            continue
        roles = {rng.choice(role_pool)}
        if rng.random() < 0.15:
            roles.add(rng.choice(role_pool))
        user = accounts.create_user(email=email, name=f"{first} {last}", roles=roles, password=DEMO_PASSWORD,
                                    is_demo=True, actor_email=actor)
        if rng.random() < 0.1:
            accounts.set_active(user_id=user.id, active=False, actor_email=actor)
        made += 1
    return True
