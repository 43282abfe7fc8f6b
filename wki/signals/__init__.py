"""Signals: intake (form, CSV, partner API), normalisation, matching against the register mirror as of
each signal's reference date, and grouping of unregistered collectors into suspects."""

from flask import Blueprint

bp = Blueprint("signals", __name__, url_prefix="/signalen", cli_group="signals")

from wki.signals import cli  # noqa: E402,F401
