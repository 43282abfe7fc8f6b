"""Who acts: one ``Actor`` passed to every service that writes, and recorded in the audit trail.

An actor is a person (a logged-in user), or a process acting on its own behalf: a command run from a shell
(``cli:<login name>``), a scheduled job (``job:<name>``), the worker, a partner's system
(``partner:<source>``). Services decide on ``user_id`` ("you cannot deactivate your own account") and audit
``label``; nothing else about who acts is passed around.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

CLI_ACTOR = "cli"


@dataclass(frozen=True)
class Actor:
    label: str  # what the audit trail records: a user's e-mail address, "cli:root", "job:signals-rematch"
    user_id: int | None = None  # the person's account, when a person acts

    @classmethod
    def of(cls, user: Any) -> Actor:
        """The logged-in (or any) user."""
        return cls(label=user.email, user_id=user.id)

    @classmethod
    def cli(cls) -> Actor:
        """A command run from a shell: ``cli:<login name>``."""
        return cls(label=cli_actor())

    @classmethod
    def process(cls, label: str) -> Actor:
        """A process acting on its own: ``job:<name>``, ``worker``, ``partner:<source>``, ``demo``."""
        return cls(label=label)

    def is_user(self, user_id: int | None) -> bool:
        return self.user_id is not None and self.user_id == user_id

    def __str__(self) -> str:
        return self.label


def cli_actor() -> str:
    """The actor recorded for a command run from a shell: ``cli:<login name>``."""
    return f"{CLI_ACTOR}:{os.environ.get('USER', 'onbekend')}"
