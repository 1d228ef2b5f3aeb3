"""Forms of the hours claim pages, and the services' problems in the reader's language.

The forms check only that each value is there and readable (a date, a number); the rules
(dates, hours a day, the proof's content, lengths) are the services', whose problems come
back as English message ids and are shown under their fields.
"""

from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from app.domain.claim_proofs import MAX_PROOF_PIXELS, ProofRefused
from app.domain.class_vocabulary import ClaimKind, RequestStatus
from app.labels import CLAIM_KIND_LABELS, REQUEST_STATUS_LABELS
from app.services.training.claim_flags import OVERLAP, REPEATED_CERTIFICATE
from app.web.forms import OrdinaryDecimalField

#: The services' problems (English message ids) in the reader's language.
PROBLEM_TEXTS = {
    "The training cannot end before it starts.":
        _l("The training cannot end before it starts."),
    "The hours claimed must be more than 0.": _l("The hours claimed must be more than 0."),
    "More hours are claimed than the dates allow (at most 8 a day).":
        _l("More hours are claimed than the dates allow (at most 8 a day)."),
    "At most %(count)s characters.": _l("At most %(count)s characters."),
    "This field is required.": _l("This field is required."),
    "At most two decimals (e.g. 0.25).": _l("At most two decimals (e.g. 0.25)."),
    "At most %(hours)s hours in one claim.": _l("At most %(hours)s hours in one claim."),
    "The training must be over: claim it once it ended (today at the latest).":
        _l("The training must be over: claim it once it ended (today at the latest)."),
    "Only training that ended in %(year)s or later can be claimed (the five years the "
    "targets count).": _l("Only training that ended in %(year)s or later can be claimed "
                          "(the five years the targets count)."),
    "The appraisal year %(year)s is closed: its hours can no longer change.":
        _l("The appraisal year %(year)s is closed: its hours can no longer change."),
    "Approve more than 0 hours and at most the %(hours)s claimed.":
        _l("Approve more than 0 hours and at most the %(hours)s claimed."),
    "Say why fewer hours are approved than claimed.":
        _l("Say why fewer hours are approved than claimed."),
    "Give the reason: the cadre reads it.": _l("Give the reason: the cadre reads it."),
}
FLAG_LABELS = {
    OVERLAP: _l("Dates overlap other training"),
    REPEATED_CERTIFICATE: _l("Certificate number used before"),
}
FLAG_HELP = {
    OVERLAP: _l("The dates overlap another claim of this cadre (pending or approved) or a "
                "training class the cadre is enrolled in."),
    REPEATED_CERTIFICATE: _l("Another claim (anyone's, not withdrawn) carries the same "
                             "certificate number, ignoring spaces and case."),
}


def problem_text(message: str, params: dict | None = None) -> str:
    text = str(PROBLEM_TEXTS.get(message, message))
    return text % params if params else text


def megabytes(size: int) -> str:
    """A byte count in MB as people write it: "10", "2.5"."""
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def proof_refusal_text(refused: ProofRefused, max_bytes: int) -> str:
    """Why the file cannot be a proof, in the reader's language."""
    mib = megabytes(max_bytes)
    allowed = _("Attach a PDF, or a photo or scan as JPEG, PNG or WebP.")
    texts = {
        "empty": lambda: _("The file is empty."),
        "too_large": lambda: _("The file is larger than %(mib)s MB: scan at a lower "
                               "resolution or save a smaller PDF.", mib=mib),
        "program": lambda: _("The file is a program, not a proof."),
        "archive": lambda: _("The file is a compressed archive (such as ZIP), not a proof."),
        "office": lambda: _("The file is an Office document: save it as PDF first."),
        "web_page": lambda: _("The file is a web page (HTML), not a proof."),
        "other_image": lambda: _("This kind of picture is not accepted."),
        "unknown": lambda: _("The file is neither a PDF nor a JPEG, PNG or WebP image."),
        "unreadable": lambda: _("The file looks like %(format)s but cannot be read: it may "
                                "be damaged or cut short. Download or scan it again.",
                                format=refused.detail),
        "encrypted": lambda: _("The PDF is protected by a password: HR could not open it. "
                               "Attach an unprotected copy."),
        "too_many_pixels": lambda: _("The picture is too large (%(size)s pixels; at most "
                                     "%(megapixels)s million): save it smaller.",
                                     size=refused.detail,
                                     megapixels=MAX_PROOF_PIXELS // 1_000_000),
    }
    text = texts.get(refused.reason, texts["unknown"])()
    if refused.reason in ("too_large", "encrypted", "too_many_pixels", "empty"):
        return text
    # Two sentences: Chinese puts no space between them.
    return _("%(problem)s %(what_to_do)s", problem=text, what_to_do=allowed)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ClaimForm(FlaskForm):
    title = StringField(_l("Training title"), filters=[_strip], validators=[DataRequired()],
                        render_kw={"maxlength": 200})
    organizer = StringField(_l("Organizer"), filters=[_strip], validators=[DataRequired()],
                            description=_l("Who ran the training, e.g. 中共重庆市委党校."),
                            render_kw={"maxlength": 100})
    kind = SelectField(_l("Kind of training"), validators=[DataRequired()])
    starts_on = DateField(_l("First day of the training"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day of the training"), validators=[InputRequired()])
    hours_claimed = OrdinaryDecimalField(_l("Credit hours claimed"), places=None,
                                         validators=[InputRequired()],
                                         description=_l("At most 8 credit hours a day."))
    certificate_number = StringField(_l("Certificate number (if any)"), filters=[_strip],
                                     validators=[Optional()], render_kw={"maxlength": 100})
    proof = FileField(_l("Proof"), validators=[FileRequired(_l("Attach the proof."))],
                      render_kw={"accept": "application/pdf,image/jpeg,image/png,image/webp"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [SelectChoice(kind.value, str(CLAIM_KIND_LABELS[kind]))
                             for kind in ClaimKind]


def _two_places(form, field):
    if field.data is not None and field.data != field.data.quantize(Decimal("0.01")):
        raise ValidationError(_("At most two decimals (e.g. 0.25)."))


class ApproveForm(FlaskForm):
    hours_approved = OrdinaryDecimalField(_l("Credit hours approved"), places=None,
                                          validators=[InputRequired(), _two_places])
    reason = TextAreaField(_l("Reason (required when approving fewer hours)"),
                           filters=[_strip], render_kw={"maxlength": 500, "rows": 2})


class ReasonForm(FlaskForm):
    """Rejecting a claim, or reversing an approval: a reason the cadre reads."""

    reason = TextAreaField(_l("Reason"), filters=[_strip], validators=[DataRequired()],
                           render_kw={"maxlength": 500, "rows": 2})


class ReviewFilterForm(FlaskForm):
    """The queue's filters, sent by GET."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"), validators=[Optional()])
    flagged = BooleanField(_l("Flagged only"))
    unit = StringField(_l("Org unit"), filters=[_strip], validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.status.choices = [SelectChoice("", _("Any status"))] + [
            SelectChoice(status.value, str(REQUEST_STATUS_LABELS[status]))
            for status in RequestStatus]
