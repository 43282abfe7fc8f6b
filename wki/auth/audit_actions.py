"""What the audit trail records about log-in and accounts (wki/auth/services.py)."""

from __future__ import annotations

from wki.core.status import LabelledEnum


class AuthAction(LabelledEnum):
    LOGGED_IN = "aanmelden.gelukt", "Ingelogd"
    LOGIN_FAILED = "aanmelden.mislukt", "Inloggen mislukt"
    LOGIN_REFUSED_ADDRESS = "aanmelden.geweigerd_adres", "Inloggen geweigerd: te veel pogingen vanaf dit adres"
    LOGIN_REFUSED_LOCKED = "aanmelden.geweigerd_geblokkeerd", "Inloggen geweigerd: account geblokkeerd"
    SECOND_FACTOR_FAILED = "aanmelden.tweede_factor_mislukt", "Verkeerde code bij tweestapsverificatie"
    LOGGED_OUT = "afmelden", "Uitgelogd"
    USER_CREATED = "gebruiker.aangemaakt", "Gebruiker aangemaakt"
    USER_CHANGED = "gebruiker.gewijzigd", "Gebruiker gewijzigd"
    USER_ACTIVATED = "gebruiker.geactiveerd", "Gebruiker geactiveerd"
    USER_DEACTIVATED = "gebruiker.gedeactiveerd", "Gebruiker gedeactiveerd"
    USER_LOCKED = "gebruiker.geblokkeerd", "Account geblokkeerd"
    USER_UNLOCKED = "gebruiker.gedeblokkeerd", "Account gedeblokkeerd"
    PASSWORD_CHANGED = "gebruiker.wachtwoord_gewijzigd", "Wachtwoord gewijzigd"
    PASSWORD_RESET = "gebruiker.wachtwoord_gereset", "Wachtwoord gereset"
    SECOND_FACTOR_SET_UP = "gebruiker.tweede_factor_ingesteld", "Tweestapsverificatie ingesteld"
    SECOND_FACTOR_RESET = "gebruiker.tweede_factor_gereset", "Tweestapsverificatie gereset"
    RECOVERY_CODES_RENEWED = "gebruiker.herstelcodes_vernieuwd", "Herstelcodes vernieuwd"
    RECOVERY_CODE_USED = "gebruiker.herstelcode_gebruikt", "Herstelcode gebruikt"


OBJECT_TYPES = {"aanmelden": "Aanmelding", "gebruiker": "Gebruiker"}
