"""A small register for the signals tests: snapshot of 2026-01-01 (the mirror's start).

- R2024-00001 Noordkaap Incasso B.V., trade name "Zuiderlicht Incasso", KvK 10000001, website
  noordkaap-incasso.nl, phone 050-3123456, IBAN make_iban(1): valid.
- R2024-00002 De Vries Invorderingen B.V.: struck off from 2026-02-15.
- R2024-00003 Polderlicht Credit Management V.O.F.: registered only from 2026-04-01.
- R2024-00040 Heidelicht Incasso B.V. and R2024-00041 Heidelicht Incassodiensten B.V. (struck off 2025-12-01):
  the name "Heidelicht" alone fits both, with other verdicts (``DOUBTFUL``).
- exempt: Gerechtsdeurwaarderskantoor Klaassen (KvK 20000001), Advocatenkantoor Van Dam.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.helpers import make_iban
from tests.signals.helpers import exempt_row, load, load_exempt, register_row

D0 = date(2026, 1, 1)


def base_register() -> list[dict[str, str]]:
    return [
        register_row(1, naam="Noordkaap Incasso B.V.", handelsnamen="Zuiderlicht Incasso",
                     website="https://www.noordkaap-incasso.nl", email="info@noordkaap-incasso.nl",
                     telefoon="050-3123456", iban=make_iban(1)),
        register_row(2, naam="De Vries Invorderingen B.V.", handelsnamen="", website="devries-invorderingen.nl",
                     email="", telefoon="", iban=make_iban(2), status="doorgehaald", datum_einde="2026-02-15"),
        register_row(3, naam="Polderlicht Credit Management V.O.F.", handelsnamen="", website="polderlicht.nl",
                     email="", telefoon="020-5556677", iban="", datum_inschrijving="2026-04-01"),
        # Twins: the name alone fits both equally, and they would give other verdicts: a person decides.
        register_row(40, naam="Heidelicht Incasso B.V.", handelsnamen="", website="", email="", telefoon="",
                     iban="", postcode="1011 AA", plaats="Amsterdam"),
        register_row(41, naam="Heidelicht Incassodiensten B.V.", handelsnamen="", website="", email="", telefoon="",
                     iban="", postcode="3011 AA", plaats="Rotterdam", status="doorgehaald", datum_einde="2025-12-01"),
    ]


DOUBTFUL = "Heidelicht"  # fits R2024-00040 and R2024-00041 equally: ``onzeker``


def base_exempt() -> list[dict[str, str]]:
    return [
        exempt_row(1, naam="Gerechtsdeurwaarderskantoor Klaassen", website="klaassen-deurwaarders.nl"),
        exempt_row(2, naam="Advocatenkantoor Van Dam", kvk_nummer="", beroep="advocaat", website=""),
    ]


@pytest.fixture
def mirror(db_session) -> Any:
    load(base_register(), D0)
    load_exempt(base_exempt(), D0)
    return db_session
