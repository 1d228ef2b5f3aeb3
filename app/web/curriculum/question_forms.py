"""Forms of the question pages: one form per question type, each turning its fields into a
question document (the keys of a question file) and back; and the import forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)

from app.domain.course_files.question_types import LETTERS, file_fields
from app.domain.question_sheets import Issue
from app.domain.vocabulary import CompetencyArea
from app.labels import AREA_LABELS

MAX_OPTIONS = 8  # the grading registry's limit for choices and matching pairs
AREA_CHOICES = [SelectChoice(area.value, AREA_LABELS[area]) for area in CompetencyArea]
DIFFICULTY_CHOICES = [SelectChoice("1", _l("1 · easy")), SelectChoice("2", _l("2 · medium")),
                      SelectChoice("3", _l("3 · hard"))]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _filled(texts: list[str | None], field: str, issues: list[Issue]) -> list[str]:
    """Texts of consecutive inputs; an empty one before a filled one is an issue."""
    texts = [(text or "").strip() for text in texts]
    count = max((index + 1 for index, text in enumerate(texts) if text), default=0)
    if "" in texts[:count]:
        issues.append(Issue(field, "form_gap"))
    return [text for text in texts[:count] if text]


class QuestionForm(FlaskForm):
    """The fields every question has; each type's form adds its own."""

    version = HiddenField()
    area = SelectField(_l("Competency area"), choices=AREA_CHOICES, validate_choice=False)
    difficulty = SelectField(_l("Difficulty"), choices=DIFFICULTY_CHOICES,
                             validate_choice=False)
    points = StringField(_l("Points"), default="2")
    prompt = TextAreaField(_l("Prompt (Markdown)"))
    explanation = TextAreaField(_l("Explanation, shown at review (optional)"))

    #: Document key → the form field showing its issues (when the names differ).
    FIELD_OF: dict[str, str] = {}

    def document(self) -> tuple[dict, list[Issue]]:
        """The question document and the issues only the form can see (gaps)."""
        issues: list[Issue] = []
        document = {"area": self.area.data, "difficulty": self.difficulty.data,
                    "points": (self.points.data or "").strip(),
                    "prompt": (self.prompt.data or "").strip(),
                    "explanation": (self.explanation.data or "").strip()}
        document.update(self.type_document(issues))
        return {key: value for key, value in document.items()
                if value not in ("", None, [])}, issues

    def load(self, question) -> None:
        """Fill the form from a stored question."""
        self.version.data = str(question.version)
        self.area.data = question.area.value
        self.difficulty.data = str(question.difficulty)
        points = question.points
        self.points.data = str(int(points) if points == points.to_integral_value()
                               else points.normalize())
        self.prompt.data = question.prompt
        self.explanation.data = question.explanation
        self.load_type(file_fields(question.type, question.spec))

    def field_for(self, issue: Issue) -> str | None:
        """The form field an issue is shown under (None: at the top of the form)."""
        name = self.FIELD_OF.get(issue.field, issue.field)
        return name if name in self._fields and name != "version" else None

    def type_document(self, issues: list[Issue]) -> dict:
        return {}

    def load_type(self, fields: dict) -> None:
        pass


class ChoiceForm(QuestionForm):
    options = FieldList(StringField(), min_entries=MAX_OPTIONS, max_entries=MAX_OPTIONS)
    correct = SelectMultipleField(_l("Correct"), validate_choice=False,
                                  choices=[SelectChoice(letter, letter)
                                           for letter in LETTERS[:MAX_OPTIONS]])
    FIELD_OF = {"answer": "correct"}
    multiple = False

    def type_document(self, issues):
        options = _filled([entry.data for entry in self.options], "options", issues)
        letters = [letter for letter in LETTERS[:MAX_OPTIONS] if letter in (self.correct.data
                                                                          or [])]
        if self.multiple:
            return {"options": options, "answer": letters}
        return {"options": options, "answer": letters[0] if len(letters) == 1 else letters}

    def load_type(self, fields):
        for entry, text in zip(self.options, fields["options"], strict=False):
            entry.data = text
        answer = fields["answer"]
        self.correct.data = answer if isinstance(answer, list) else [answer]


class SingleForm(ChoiceForm):
    """One right option."""


class MultipleForm(ChoiceForm):
    scoring = SelectField(_l("Scoring"), validate_choice=False, choices=[
        SelectChoice("partial", _l("Partial credit: +1/k for each right choice, −1/k for "
                                   "each wrong one")),
        SelectChoice("all_or_nothing", _l("All or nothing"))])
    multiple = True

    def type_document(self, issues):
        scoring = self.scoring.data if self.scoring.data != "partial" else None
        return {**super().type_document(issues), "scoring": scoring}

    def load_type(self, fields):
        super().load_type(fields)
        self.scoring.data = fields.get("scoring", "partial")


class TrueFalseForm(QuestionForm):
    answer = RadioField(_l("Answer"), validate_choice=False, choices=[
        SelectChoice("true", _l("True")), SelectChoice("false", _l("False"))])

    def type_document(self, issues):
        return {"answer": {"true": True, "false": False}.get(self.answer.data)}

    def load_type(self, fields):
        self.answer.data = "true" if fields["answer"] else "false"


class FillForm(QuestionForm):
    answers = TextAreaField(_l("Accepted answers, one per line (full/half width, spaces "
                               "and letter case do not matter)"))
    regex = StringField(_l("Also accept answers matching this regular expression "
                           "(optional, the whole answer must match; it is read like the "
                           "accepted answers: half width, without spaces, any case)"))

    def type_document(self, issues):
        return {"answers": _lines(self.answers.data), "regex": (self.regex.data or "").strip()}

    def load_type(self, fields):
        self.answers.data = "\n".join(fields["answers"])
        self.regex.data = fields.get("regex", "")


class NumericForm(QuestionForm):
    answer = StringField(_l("Answer (a number)"))
    tolerance_kind = RadioField(_l("Tolerance"), default="absolute", validate_choice=False,
                                choices=[SelectChoice("absolute", _l("absolute (± this much)")),
                                         SelectChoice("percent", _l("relative (± this %)"))])
    tolerance = StringField(_l("Tolerance (0: exactly)"), default="0")
    unit = StringField(_l("Unit the cadre may type after the number (optional)"))
    FIELD_OF = {"tolerance_percent": "tolerance"}

    def type_document(self, issues):
        key = "tolerance_percent" if self.tolerance_kind.data == "percent" else "tolerance"
        return {"answer": (self.answer.data or "").strip(),
                key: (self.tolerance.data or "").strip(), "unit": (self.unit.data or "").strip()}

    def load_type(self, fields):
        self.answer.data = str(fields["answer"])
        percent = fields.get("tolerance_percent")
        self.tolerance_kind.data = "percent" if percent is not None else "absolute"
        self.tolerance.data = str(percent if percent is not None else fields.get("tolerance", 0))
        self.unit.data = fields.get("unit", "")


class OrderingForm(QuestionForm):
    items = TextAreaField(_l("Items in the correct order, one per line (cadres see them "
                             "shuffled)"))

    def type_document(self, issues):
        return {"items": _lines(self.items.data)}

    def load_type(self, fields):
        self.items.data = "\n".join(fields["items"])


class MatchingForm(QuestionForm):
    terms = FieldList(StringField(), min_entries=MAX_OPTIONS, max_entries=MAX_OPTIONS)
    definitions = FieldList(StringField(), min_entries=MAX_OPTIONS, max_entries=MAX_OPTIONS)
    FIELD_OF = {"pairs": "terms"}

    def type_document(self, issues):
        terms = [(entry.data or "").strip() for entry in self.terms]
        definitions = [(entry.data or "").strip() for entry in self.definitions]
        pairs = [[term, definition] for term, definition in zip(terms, definitions, strict=True)
                 if term or definition]
        if any(not term or not definition for term, definition in pairs):
            issues.append(Issue("pairs", "form_pair"))
        return {"pairs": pairs}

    def load_type(self, fields):
        for index, (term, definition) in enumerate(fields["pairs"][:MAX_OPTIONS]):
            self.terms[index].data, self.definitions[index].data = term, definition


class EssayForm(QuestionForm):
    rubric = TextAreaField(_l("Rubric: what a full-mark answer contains, point by point, for "
                              "the trainer who grades it"))

    def type_document(self, issues):
        return {"rubric": (self.rubric.data or "").strip()}

    def load_type(self, fields):
        self.rubric.data = fields["rubric"]


FORMS: dict[str, type[QuestionForm]] = {
    "single": SingleForm, "multiple": MultipleForm, "truefalse": TrueFalseForm,
    "fill": FillForm, "numeric": NumericForm, "ordering": OrderingForm,
    "matching": MatchingForm, "essay": EssayForm}


class ExcelUploadForm(FlaskForm):
    file = FileField(_l("Excel workbook (.xlsx, made from the template)"))


class ConfirmForm(FlaskForm):
    token = HiddenField()
    area = HiddenField()
    difficulty = HiddenField()
    points = HiddenField()


class GiftForm(FlaskForm):
    text = TextAreaField(_l("GIFT text"))
    file = FileField(_l("…or a GIFT file (.txt, UTF-8 or GB18030)"))
    area = SelectField(_l("Competency area of every imported question"), choices=AREA_CHOICES,
                       validate_choice=False)
    difficulty = SelectField(_l("Difficulty of every imported question"),
                             choices=DIFFICULTY_CHOICES, validate_choice=False, default="2")
    points = StringField(_l("Points of every imported question"), default="2")
