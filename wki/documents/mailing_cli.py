"""``flask mailings``: mass mailings from the command line (operators and scripts)."""

from __future__ import annotations

from flask.cli import AppGroup

mailings_cli = AppGroup("mailings", help="Mailings: aanmaken, goedkeuren, uitvoeren, status en drukbestand.")
