"""The landing pages of the sections in the navigation.

Each feature package takes over its section's landing page when it lands; until then the page says
what the section is for and who uses it.
"""

from flask import Blueprint

bp = Blueprint("sections", __name__)

from wki.sections import views  # noqa: E402,F401
