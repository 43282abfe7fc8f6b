from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from wki.core.forms import BaseForm


class LoginForm(BaseForm):
    email = EmailField("E-mailadres", validators=[DataRequired("Vul uw e-mailadres in."), Length(max=320)])
    password = PasswordField("Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in.")], no_strip=True)


class SecondFactorForm(BaseForm):
    code = StringField(
        "Code", validators=[DataRequired("Vul de code uit uw authenticator-app of een herstelcode in."),
                            Length(max=20, message="De code is te lang.")],
        description="De 6 cijfers uit uw authenticator-app, of een van uw herstelcodes.",
    )


class TotpSetupForm(BaseForm):
    code = StringField(
        "Code uit de app", validators=[DataRequired("Vul de 6 cijfers uit de app in."), Length(max=10)],
        description="Na het scannen toont de app elke 30 seconden een nieuwe code van 6 cijfers.",
    )


class ChangePasswordForm(BaseForm):
    current_password = PasswordField("Huidig wachtwoord", validators=[DataRequired("Vul uw huidige wachtwoord in.")],
                                     no_strip=True)
    new_password = PasswordField(
        "Nieuw wachtwoord", validators=[DataRequired("Vul een nieuw wachtwoord in.")], no_strip=True,
        description="Minimaal 12 tekens. Een zin van een paar woorden is sterk en goed te onthouden.",
    )
    confirm = PasswordField(
        "Herhaal nieuw wachtwoord", no_strip=True,
        validators=[DataRequired("Herhaal het nieuwe wachtwoord."),
                    EqualTo("new_password", "De twee nieuwe wachtwoorden zijn niet gelijk.")],
    )
