"""Which instruments fit a case: its party (a registration, a suspected unregistered collector, an exempt
bailiff or lawyer) and the provisions breached; and, for those that do not fit, why (brief §1.2, §2.3–2.4,
§4.1). Pure rules, no database.

- A registered agency: a norm-transferring conversation or a warning letter always; a penalty order (Wki
  art. 15 [U: its text was not retrieved]) and an administrative fine (Wki art. 16 lid 1: breaches of rules
  by or under arts. 11, 12 and 13, and of Awb 5:20 lid 1) for those provisions; a request to Justis to strike
  the registration for breaches of the quality requirements (brief §2.3: the formal route is [U]).
- A suspected unregistered collector: the conversation, a warning letter and a report to the public
  prosecutor (collecting without registration is a criminal offence). No fine: art. 16 does not list the
  registration prohibition (brief §4.1). No penalty order: whether art. 15 covers the prohibition is [U].
- An exempt party: no Wki instrument; the Inspectie refers to the BFT (bailiffs) or the dean (lawyers).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wki.core.errors import ServiceError
from wki.enforcement.models import DocumentKind, Instrument, Provision, SubjectKind

BAILIFF = "gerechtsdeurwaarder"
LAWYER = "advocaat"

# The provisions a case about each kind of party can be about.
PROVISIONS: dict[SubjectKind, tuple[Provision, ...]] = {
    SubjectKind.REGISTRATION: (Provision.WKI_11, Provision.WKI_12, Provision.WKI_13, Provision.AWB_5_20),
    SubjectKind.SUSPECT: (Provision.REGISTRATION_DUTY,),
    SubjectKind.EXEMPT: (Provision.WKI_13,),
}

PROVISION_REASON: dict[SubjectKind, str] = {
    SubjectKind.REGISTRATION: "Een geregistreerde incassodienstverlener is geregistreerd: de registratieplicht past "
                              "hier niet. Was de registratie niet geldig, open de zaak dan over de overtreder.",
    SubjectKind.SUSPECT: "Over een niet-geregistreerde incassant gaat de zaak over de registratieplicht; de "
                         "kwaliteitseisen worden getoetst als hij geregistreerd is.",
    SubjectKind.EXEMPT: "Gerechtsdeurwaarders en advocaten zijn vrijgesteld van de registratieplicht, maar moeten "
                        "wel aan de kwaliteitseisen voldoen; hun toezichthouder (BFT of deken) handhaaft die.",
}

# The legal basis named with each instrument (shown with it and printed in the documents).
LEGAL_BASIS: dict[Instrument, str] = {
    Instrument.CONVERSATION: "Geen besluit: normoverdragend (Toetsingskader en mogelijke interventies Wki)",
    Instrument.WARNING: "Geen besluit: waarschuwing (Toetsingskader en mogelijke interventies Wki)",
    Instrument.PENALTY_ORDER: "Artikel 15 Wki; artikelen 5:31d en 5:32 tot en met 5:32b Awb",
    Instrument.FINE: "Artikel 16 Wki; titel 5.4 Awb",
    Instrument.STRIKE_REQUEST: "Verzoek aan Justis; de doorhaling is een besluit van de Minister (Justis)",
    Instrument.CRIMINAL_REPORT: "Aangifte bij het Openbaar Ministerie (incasseren zonder registratie is strafbaar)",
    Instrument.REFERRAL_BFT: "Samenwerkingsprotocol Inspectie, Justis, BFT en dekens: het BFT houdt toezicht op "
                             "gerechtsdeurwaarders",
    Instrument.REFERRAL_DEAN: "Samenwerkingsprotocol Inspectie, Justis, BFT en dekens: de deken houdt toezicht op "
                              "advocaten",
}

# The document each instrument sends (None: the conversation is recorded, not sent).
DOCUMENT_FOR: dict[Instrument, DocumentKind | None] = {
    Instrument.CONVERSATION: None,
    Instrument.WARNING: DocumentKind.WARNING,
    Instrument.PENALTY_ORDER: DocumentKind.PENALTY_ORDER,
    Instrument.FINE: DocumentKind.FINE,
    Instrument.STRIKE_REQUEST: DocumentKind.STRIKE_REQUEST,
    Instrument.CRIMINAL_REPORT: DocumentKind.CRIMINAL_REPORT,
    Instrument.REFERRAL_BFT: DocumentKind.REFERRAL,
    Instrument.REFERRAL_DEAN: DocumentKind.REFERRAL,
}

# Sanctions are besluiten against someone who did not ask for them: an intention and the chance to give a
# view come first (Awb 4:8; for fines above €340 also 5:53).
NEEDS_INTENTION = frozenset({Instrument.PENALTY_ORDER, Instrument.FINE})

SANCTIONABLE = frozenset({Provision.WKI_11, Provision.WKI_12, Provision.WKI_13, Provision.AWB_5_20})


@dataclass(frozen=True)
class Option:
    instrument: Instrument
    available: bool
    reason: str  # why it fits, or why it is absent (Dutch)
    legal_basis: str
    needs_intention: bool
    document: DocumentKind | None


def check_provisions(subject: SubjectKind, provisions: Iterable[str]) -> list[Provision]:
    """The provisions as enum members; a Dutch refusal for none, an unknown one, or one that does not fit."""
    chosen: list[Provision] = []
    for value in provisions:
        try:
            provision = Provision.from_value(value)
        except ValueError:
            raise ServiceError(f"Onbekende bepaling: '{value}'.", field="provisions") from None
        if provision not in PROVISIONS[subject]:
            raise ServiceError(f"{provision.label} past niet bij een zaak over een {subject.label.lower()}. "
                               + PROVISION_REASON[subject], field="provisions")
        if provision not in chosen:
            chosen.append(provision)
    if not chosen:
        raise ServiceError("Kies ten minste één overtreden bepaling.", field="provisions")
    return chosen


def _verdict(instrument: Instrument, subject: SubjectKind, provisions: Sequence[Provision],
             beroep: str | None) -> tuple[bool, str]:
    """Whether the instrument fits, and why (or why not)."""
    if subject is SubjectKind.EXEMPT:
        if instrument is Instrument.REFERRAL_BFT:
            if beroep == BAILIFF:
                return True, "Het BFT houdt toezicht op gerechtsdeurwaarders, ook op hun naleving van de Wki."
            return False, "Alleen voor gerechtsdeurwaarders: het BFT houdt geen toezicht op advocaten."
        if instrument is Instrument.REFERRAL_DEAN:
            if beroep == LAWYER:
                return True, "De deken houdt toezicht op advocaten, ook op hun naleving van de Wki."
            return False, "Alleen voor advocaten: de deken houdt geen toezicht op gerechtsdeurwaarders."
        return False, ("Tegen een vrijgestelde gerechtsdeurwaarder of advocaat zet de Inspectie geen Wki-instrument "
                       "in: hun eigen toezichthouder (BFT of deken) handhaaft.")
    if instrument in (Instrument.REFERRAL_BFT, Instrument.REFERRAL_DEAN):
        return False, "Alleen voor gerechtsdeurwaarders en advocaten (vrijgesteld van de registratieplicht)."
    if subject is SubjectKind.SUSPECT:
        if instrument in (Instrument.CONVERSATION, Instrument.WARNING):
            return True, "Past altijd als lichtste middel: wijst op de registratieplicht."
        if instrument is Instrument.CRIMINAL_REPORT:
            return True, "Incasseren zonder registratie is een strafbaar feit; het Openbaar Ministerie vervolgt."
        if instrument is Instrument.FINE:
            return False, ("Geen bestuurlijke boete voor incasseren zonder registratie: artikel 16 Wki noemt het "
                           "registratieverbod niet; de weg is aangifte (domeinbrief §4.1).")
        if instrument is Instrument.PENALTY_ORDER:
            return False, ("Of artikel 15 Wki (last onder dwangsom) het registratieverbod dekt, is niet vastgesteld "
                           "(domeinbrief §4.1, onzeker); daarom niet aangeboden.")
        return False, "Er is geen registratie om door te halen."
    # A registered agency.
    if instrument in (Instrument.CONVERSATION, Instrument.WARNING):
        return True, "Past altijd: de Inspectie mag een lichter middel kiezen dan de wet toestaat."
    if instrument is Instrument.CRIMINAL_REPORT:
        return False, "Aangifte is voor incasseren zonder registratie; deze partij is geregistreerd."
    outside = [p for p in provisions if p not in SANCTIONABLE]
    if instrument in (Instrument.PENALTY_ORDER, Instrument.FINE):
        if outside:
            return False, f"Niet voor {outside[0].label}."
        if instrument is Instrument.FINE:
            return True, ("Artikel 16 Wki: een boete voor overtreding van de regels bij of krachtens de artikelen 11, "
                          "12 en 13 Wki en van artikel 5:20 lid 1 Awb.")
        return True, "Een herstelsanctie: de last beëindigt de overtreding (artikel 15 Wki, onzeker; 5:31d Awb)."
    # The request to strike the registration.
    if Provision.WKI_13 not in provisions:
        return False, ("Alleen bij overtreding van de kwaliteitseisen: wie daar niet (meer) aan voldoet, kan niet "
                       "geregistreerd blijven.")
    return True, ("Wie niet aan de kwaliteitseisen voldoet, kan niet geregistreerd blijven; Justis beslist over de "
                  "doorhaling (domeinbrief §2.3).")


def options(subject: SubjectKind, provisions: Iterable[str | Provision], beroep: str | None = None) -> list[Option]:
    """Every instrument with whether it fits this case and why (or why not), in the order of the enum."""
    chosen = [p if isinstance(p, Provision) else Provision.from_value(p) for p in provisions]
    result = []
    for instrument in Instrument:
        available, reason = _verdict(instrument, subject, chosen, beroep)
        result.append(Option(instrument, available, reason, LEGAL_BASIS[instrument],
                             instrument in NEEDS_INTENTION, DOCUMENT_FOR[instrument]))
    return result


def available(subject: SubjectKind, provisions: Iterable[str | Provision], beroep: str | None = None) -> list[Instrument]:
    return [o.instrument for o in options(subject, provisions, beroep) if o.available]


def check_instrument(instrument: Instrument, subject: SubjectKind, provisions: Iterable[str | Provision],
                     beroep: str | None = None) -> Option:
    """The option for this instrument; a Dutch refusal saying why when it does not fit."""
    option = next(o for o in options(subject, provisions, beroep) if o.instrument is instrument)
    if not option.available:
        raise ServiceError(f"{instrument.label} past niet bij deze zaak: {option.reason}", field="instrument")
    return option
