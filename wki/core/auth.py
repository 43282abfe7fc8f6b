"""Roles and the access rule every route declares.

Every view carries exactly one rule: ``@public``, ``@login_required_any`` or
``@requires_roles(...)``, or, for machine clients such as the partner API, ``@token_required(check)``.
A ``before_request`` hook enforces the rule and refuses any endpoint that has none (fail closed), and
``tests/test_routes_access.py`` walks the URL map so a forgotten rule is caught before it ships.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import abort, current_app, request
from flask_login import current_user

from wki.core.extensions import login_manager


class Role(enum.StrEnum):
    INSPECTEUR = "inspecteur"
    VOORLICHTING = "voorlichting"
    HANDHAVER = "handhaver"
    BEHEERDER = "beheerder"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.INSPECTEUR: "Inspecteur",
    Role.VOORLICHTING: "Voorlichting",
    Role.HANDHAVER: "Handhaver",
    Role.BEHEERDER: "Beheerder",
}


@dataclass(frozen=True)
class AccessRule:
    kind: str  # "public", "login", "roles", "token"
    roles: frozenset[Role] = frozenset()
    # "token" only: authenticates the request's own credentials (never the session); returns a response
    # that refuses the request, or None to let it through.
    check: Callable[[], Any] | None = field(default=None, compare=False)

    def describe(self) -> str:
        if self.kind == "roles":
            return "roles:" + ",".join(sorted(self.roles))
        return self.kind


ACCESS_ATTR = "_wki_access_rule"


def _mark(view: Callable, rule: AccessRule) -> Callable:
    if hasattr(view, ACCESS_ATTR):
        raise RuntimeError(f"{view.__name__} declares two access rules")
    setattr(view, ACCESS_ATTR, rule)
    return view


def public(view: Callable) -> Callable:
    """Anyone, also without logging in (log-in page, health check)."""
    return _mark(view, AccessRule("public"))


def login_required_any(view: Callable) -> Callable:
    """Any logged-in user, whatever their roles (dashboard, own account)."""
    return _mark(view, AccessRule("login"))


def requires_roles(*roles: Role) -> Callable[[Callable], Callable]:
    """Logged-in users holding at least one of ``roles``."""
    if not roles:
        raise ValueError("requires_roles needs at least one role")

    def decorator(view: Callable) -> Callable:
        return _mark(view, AccessRule("roles", frozenset(roles)))

    return decorator


def token_required(check: Callable[[], Any]) -> Callable[[Callable], Callable]:
    """Machine clients that authenticate every request themselves (a partner's bearer token), not people:
    ``check()`` runs before the view and returns a refusal (for example a 401 response) or None."""

    def decorator(view: Callable) -> Callable:
        return _mark(view, AccessRule("token", check=check))

    return decorator


def access_rule_for(view: Callable | None) -> AccessRule | None:
    return getattr(view, ACCESS_ATTR, None) if view is not None else None


def user_has_any_role(user: Any, roles: Iterable[Role]) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(set(user.role_set) & set(roles))




def enforce_access_rule() -> Any:
    """``before_request`` hook: apply the endpoint's rule; refuse endpoints without one."""
    if request.endpoint is None:
        return None  # 404/405 handled by Flask itself
    if request.endpoint == "static":
        return None
    view = current_app.view_functions.get(request.endpoint)
    rule = access_rule_for(view)
    if rule is None:
        current_app.logger.error("endpoint without access rule refused", extra={"endpoint": request.endpoint})
        abort(403)
    if rule.kind == "public":
        return None
    if rule.kind == "token":
        return rule.check() if rule.check is not None else abort(403)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if rule.kind == "roles" and not user_has_any_role(current_user, rule.roles):
        abort(403)
    return None

