"""Forms of the certificate pages: revocation with a reason, the public lookup and the
issuer's seal."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.services.certificates.revoking import MAX_REASON


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class RevokeForm(FlaskForm):
    reason = TextAreaField(_l("Reason for revoking"), filters=[_strip],
                           validators=[DataRequired(), Length(max=MAX_REASON)])


class LookupForm(FlaskForm):
    """The public verification form: sent by GET, so it carries no CSRF token."""

    class Meta:
        csrf = False

    serial = StringField(_l("Certificate number"), filters=[_strip],
                         description=_l("e.g. DCA-2026-000001"),
                         validators=[DataRequired(), Length(max=40)])
    c = StringField(_l("Verification code"), filters=[_strip],
                    description=_l("The 16 characters printed beside the QR code (核验码)."),
                    validators=[DataRequired(), Length(max=64)])


class SealForm(FlaskForm):
    image = FileField(_l("Seal image (PNG with a transparent background)"),
                      validators=[FileRequired(_l("Choose the seal's PNG image."))])
    submit = SubmitField(_l("Upload seal"))
