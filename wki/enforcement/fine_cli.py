"""``flask fines list [--on DATE]``: the fine categories and the fining policy in force on a date."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import AppGroup

from wki.core.clock import today_local
from wki.core.formatting import fmt_date, fmt_money, fmt_number

fines_cli = AppGroup("fines", help="Boetes: de bedragen van de boetecategorieën en het boetebeleid.")


@fines_cli.command("list")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Peildatum (JJJJ-MM-DD); standaard vandaag.")
def list_command(on: datetime | None) -> None:
    """Toon de bedragen en regels die op de peildatum gelden (nog niet bevestigde gemarkeerd)."""
    from wki.enforcement.fines import ORDINALS, RuleUnit, load_tables

    day: date = on.date() if on is not None else today_local()
    tables = load_tables(day)
    click.echo(f"Boetecategorieën op {fmt_date(day)}:")
    if not tables.categories:
        click.echo("  (geen: de tabel begint op 1 januari 2018)")
    for c in tables.categories:
        mark = "" if c.confirmed else "  [nog niet bevestigd]"
        click.echo(f"  {ORDINALS[c.category]:<7} {fmt_money(c.amount):>16}  vanaf {fmt_date(c.valid_from)}{mark}")
    click.echo(f"Boetebeleid op {fmt_date(day)}:")
    if not tables.rules:
        click.echo("  (geen)")
    for r in tables.rules:
        value = fmt_money(r.value) if r.unit == RuleUnit.EUR else f"{fmt_number(r.value)}%"
        mark = "" if r.confirmed else "  [nog niet bevestigd]"
        click.echo(f"  {r.code:<30} {value:>16}  vanaf {fmt_date(r.valid_from)}{mark}")
