"""``flask worker``: the process that does queued work (``wki.core.worker``)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

worker_cli = AppGroup("worker", help="Werk in de wachtrij verwerken (grote bestanden, herbeoordelen).")


@worker_cli.command("run")
@click.option("--once", is_flag=True, help="Verwerk wat nu in de wachtrij staat en stop dan (tests, cron).")
@click.option("--poll", "poll_seconds", type=click.FloatRange(min=0.1), default=None,
              help="Seconden tussen twee keer kijken als er niets wacht (standaard WORKER_POLL_SECONDS of 5).")
@click.option("--processes", type=click.IntRange(min=1, max=64), default=None,
              help="Aantal verwerkende processen naast elkaar (standaard WORKER_PROCESSES, of het aantal cores).")
def worker_run(once: bool, poll_seconds: float | None, processes: int | None) -> None:
    """Verwerk werk uit de wachtrij tot het proces stopt; SIGTERM maakt het lopende werk eerst af."""
    import os

    from wki.core.worker import StopFlag, run_worker_pool

    stop = StopFlag()
    restore = stop.install()
    try:
        app = current_app._get_current_object()  # type: ignore[attr-defined]  # current_app is a LocalProxy typed as Flask
        count = processes or int(app.config.get("WORKER_PROCESSES") or os.cpu_count() or 1)
        processed = run_worker_pool(app, processes=count, once=once, poll_seconds=poll_seconds, stop=stop)
    finally:
        restore()
    if once:
        click.echo(f"{processed} {'taak' if processed == 1 else 'taken'} verwerkt.")


@worker_cli.command("list")
@click.option("--all", "everything", is_flag=True, help="Ook afgerond werk tonen (de laatste 50).")
def worker_list(everything: bool) -> None:
    """Toon het werk dat wacht of loopt."""
    from wki.core.formatting import fmt_datetime
    from wki.core.worker import ACTIVE, STATUS_LABELS, kind_title, list_items

    items = list_items(per_page=50).items
    for item in items:
        if not everything and item.status not in ACTIVE:
            continue
        total = f"/{item.progress_total}" if item.progress_total else ""
        click.echo(f"{item.id:>6}  {STATUS_LABELS.get(item.status, item.status):<15} {kind_title(item.kind):<40} "
                   f"{item.progress_done}{total}  {fmt_datetime(item.created_at)}  {item.created_by or ''}")
