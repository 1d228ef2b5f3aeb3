"""Forms of the quiz and exercise editors (the words for what their services refuse are in
app/web/curriculum/quizzes.py)."""

from datetime import UTC
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.domain.course_files.task_no_code import no_code_text
from app.domain.exercise_tasks.hints import DEFAULT_HINT_COST, MAX_HINTS
from app.domain.vocabulary import CompetencyArea, GradingMethod, ReviewPolicy, ReviewTiming
from app.labels import AREA_LABELS, METHOD_LABELS
from app.services.curriculum.authoring.exercises import TaskInput
from app.services.curriculum.authoring.quizzes import AssessmentSettings, DrawRow, QuizInput
from app.web.forms import (
    OrdinaryDecimalField,
    OrdinaryFloatField,
    OrdinaryIntegerField,
    ordinary_decimal,
)

REVIEW_LABELS = {
    ReviewPolicy.FULL: _l("Answers, correct answers and explanations"),
    ReviewPolicy.OWN_ANSWERS: _l("Own answers and points only"),
    ReviewPolicy.SCORE_ONLY: _l("Score only"),
}
TIMING_LABELS = {
    ReviewTiming.SUBMIT: _l("As soon as the attempt is graded"),
    ReviewTiming.CLOSE: _l("After the quiz closes"),
}
BANK_CHOICES = [SelectChoice("course", _l("This course's bank")),
                SelectChoice("shared", _l("Shared bank"))]
AREA_CHOICES = [SelectChoice(area.value, AREA_LABELS[area]) for area in CompetencyArea]
TASK_TYPE_LABELS = {"numeric": _l("A number"), "choice": _l("A choice from the data"),
                    "sql": _l("An SQL query"), "rows": _l("Pick records"),
                    "columns": _l("Pick columns")}
HINT_SLOTS = range(1, MAX_HINTS + 1)
#: What <input type="datetime-local"> sends: minutes, or seconds when a step asks for them.
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def to_utc(local):
    """A naive local time from the form (Asia/Shanghai) as an aware UTC datetime."""
    return None if local is None else local.replace(tzinfo=_zone()).astimezone(UTC)


def to_local(moment):
    return None if moment is None else moment.astimezone(_zone()).replace(tzinfo=None)


class SettingsForm(FlaskForm):
    """What quizzes and exercises share; `revision` is the content hash the form opened at."""

    title = StringField(_l("Title"), filters=[_strip], validators=[DataRequired(),
                                                                    Length(max=200)])
    slug = StringField(_l("Short name"), filters=[_strip], validators=[DataRequired()],
                       description=_l("a-z, 0-9 and -; the code is COURSE/short-name, e.g. "
                                      "DA110/final"))
    graded = BooleanField(_l("Graded: passing it is required to complete the course"),
                          default=True)
    pass_mark = OrdinaryIntegerField(_l("Pass mark (percent of the points)"), default=60,
                                     validators=[InputRequired(), NumberRange(0, 100)])
    time_limit_minutes = OrdinaryIntegerField(_l("Time limit (minutes; empty: none)"),
                                              validators=[Optional(), NumberRange(1, 1440)])
    max_attempts = OrdinaryIntegerField(_l("Attempts allowed (empty: unlimited)"),
                                        validators=[Optional(), NumberRange(1, 100)])
    grading_method = SelectField(_l("Result kept"), default=GradingMethod.HIGHEST.value,
                                 choices=[SelectChoice(m.value, METHOD_LABELS[m])
                                          for m in GradingMethod])
    review = SelectField(_l("Review shows"), default=ReviewPolicy.FULL.value,
                         choices=[SelectChoice(p.value, text) for p, text in REVIEW_LABELS.items()])
    review_after = SelectField(_l("Review from"), default=ReviewTiming.SUBMIT.value,
                               choices=[SelectChoice(t.value, text)
                                        for t, text in TIMING_LABELS.items()])
    opens_at = DateTimeLocalField(_l("Opens at (Beijing time; empty: at once)"),
                                  format=LOCAL_FORMATS, validators=[Optional()])
    closes_at = DateTimeLocalField(_l("Closes at (Beijing time; empty: never)"),
                                   format=LOCAL_FORMATS, validators=[Optional()])
    revision = HiddenField()

    def fill_settings(self, quiz) -> None:
        self.title.data, self.slug.data = quiz.title, quiz.code.split("/", 1)[-1]
        self.graded.data, self.pass_mark.data = quiz.graded, quiz.pass_mark
        self.time_limit_minutes.data = quiz.time_limit_minutes
        self.max_attempts.data = quiz.max_attempts
        self.grading_method.data = quiz.grading_method.value
        self.review.data, self.review_after.data = quiz.review.value, quiz.review_after.value
        self.opens_at.data, self.closes_at.data = to_local(quiz.opens_at), to_local(quiz.closes_at)
        self.revision.data = quiz.content_hash

    def settings(self) -> AssessmentSettings:
        return AssessmentSettings(
            title=self.title.data or "", graded=self.graded.data, pass_mark=self.pass_mark.data,
            time_limit_minutes=self.time_limit_minutes.data,
            max_attempts=self.max_attempts.data,
            grading_method=GradingMethod(self.grading_method.data),
            review=ReviewPolicy(self.review.data),
            review_after=ReviewTiming(self.review_after.data),
            opens_at=to_utc(self.opens_at.data), closes_at=to_utc(self.closes_at.data))


class DrawRuleForm(Form):
    """One row of draw rules; a row without a count is ignored, and the service checks the
    rest (so an unposted row is no error)."""

    bank = SelectField(_l("Bank"), choices=BANK_CHOICES, validate_choice=False)
    area = SelectField(_l("Area"), choices=AREA_CHOICES, validate_choice=False)
    difficulty = SelectField(_l("Difficulty"), validate_choice=False, choices=[
        SelectChoice("", _l("Any")), SelectChoice("1", _l("1 easy")),
        SelectChoice("2", _l("2 medium")), SelectChoice("3", _l("3 hard"))])
    count = OrdinaryIntegerField(_l("Questions"), validators=[Optional(), NumberRange(1, 500)])


class QuizForm(SettingsForm):
    shuffle = BooleanField(_l("Shuffle questions and options per attempt"), default=True)
    mode = RadioField(_l("Questions"), default="fixed", choices=[
        SelectChoice("fixed", _l("A fixed list of questions")),
        SelectChoice("draw", _l("Draw at random by rules"))])
    draw = FieldList(FormField(DrawRuleForm), min_entries=1, max_entries=20)

    def fill_from(self, quiz) -> None:
        self.fill_settings(quiz)
        self.shuffle.data = quiz.shuffle
        self.mode.data = "draw" if quiz.draw_rules else "fixed"
        while len(self.draw.entries):
            self.draw.pop_entry()
        for rule in quiz.draw_rules or []:
            self.draw.append_entry({"bank": rule["bank"], "area": rule["area"],
                                    "difficulty": str(rule.get("difficulty") or ""),
                                    "count": rule["count"]})
        self.draw.append_entry()

    def quiz_input(self, formdata) -> QuizInput:
        """The quiz as the service takes it; `formdata` holds the ticked questions."""
        keys, rows = [], []
        #: Which form row each rule came from, so a rule's problem shows on its row.
        self.rule_entries = [i for i, entry in enumerate(self.draw) if entry.count.data is not None]
        if self.mode.data == "draw":
            rows = [DrawRow(self.draw[i].bank.data, self.draw[i].area.data,
                            _difficulty(self.draw[i].difficulty.data), self.draw[i].count.data)
                    for i in self.rule_entries]
        else:
            keys = ordered_questions(formdata)
        return QuizInput(slug=self.slug.data or "", settings=self.settings(),
                         shuffle=self.shuffle.data, question_keys=keys, draw=rows)


def _difficulty(value: str | None) -> int | None:
    # Anything but 1–3 becomes 0, which the service refuses on the rule's row.
    return None if not value else int(value) if value in ("1", "2", "3") else 0


def ordered_questions(formdata) -> list[str]:
    """The ticked questions, by the order number typed beside each (then as listed)."""
    ticked = list(dict.fromkeys(formdata.getlist("questions")))

    def position(indexed):
        index, key = indexed
        typed = (formdata.get(f"order-{key}") or "").strip()
        return (int(typed) if typed.isdigit() else 10**6, index)

    return [key for _index, key in sorted(enumerate(ticked), key=position)]


class ExerciseForm(SettingsForm):
    brief = TextAreaField(_l("Brief (Markdown): the situation, the tables, what to find"),
                          validators=[DataRequired(), Length(max=20_000)])


class NewExerciseForm(ExerciseForm):
    source = RadioField(_l("Data"), default="scenario", choices=[
        SelectChoice("scenario", _l("A scenario: every cadre gets their own generated data")),
        SelectChoice("csv", _l("A CSV file: the same data for everyone"))])
    scenario = SelectField(_l("Scenario"))
    table_name = StringField(_l("Table name (a-z, 0-9, _)"), filters=[_strip],
                             validators=[Length(max=63)])
    table_label = StringField(_l("Table label, e.g. 工地"), filters=[_strip],
                              validators=[Length(max=40)])
    csv_file = FileField(_l("CSV file (UTF-8; first row: column names, optionally "
                            "name|label)"))


def scenario_params(formdata, scenario) -> tuple[dict, dict[str, str]]:
    """The scenario's parameters typed on the form, and the fields that are not numbers."""
    params, errors = {}, {}
    for name, spec in scenario.parameters.items():
        text = (formdata.get(f"param-{scenario.key}-{name}") or "").strip()
        if not text:
            continue
        number = ordinary_decimal(text)
        if number is None or isinstance(spec.default, int) and number != int(number):
            errors[name] = (_("A whole number, please.") if isinstance(spec.default, int)
                            else _("A number, please."))
        else:
            params[name] = int(number) if isinstance(spec.default, int) else float(number)
    return params, errors


class TaskForm(FlaskForm):
    prompt = TextAreaField(_l("Task (Markdown): exactly what to find and how to round"),
                           validators=[DataRequired(), Length(max=5000)])
    points = OrdinaryDecimalField(_l("Points"), default=2, places=None,
                                  validators=[InputRequired(), NumberRange(0.5, 100)])
    area = SelectField(_l("Competency area"), choices=AREA_CHOICES)
    reference_sql = TextAreaField(_l("Reference query (SQLite SELECT on the data)"),
                                  validators=[Length(max=20_000)])
    options_sql = TextAreaField(_l("Options query (one column: the options, read from the "
                                   "data)"), validators=[Length(max=20_000)])
    tolerance_kind = RadioField(_l("Tolerance"), default="absolute", choices=[
        SelectChoice("absolute", _l("Absolute (e.g. 0.05)")),
        SelectChoice("percent", _l("Percent of the answer (e.g. 1)"))])
    tolerance = OrdinaryFloatField(_l("Tolerance (empty: exact)"), validators=[Optional(),
                                                                               NumberRange(min=0)])
    unit = StringField(_l("Unit (optional, e.g. 小时)"), filters=[_strip],
                       validators=[Length(max=20)])
    ordered = BooleanField(_l("Row order counts"))
    # Only some task types use these; the service checks them against the data.
    table = SelectField(_l("Table"), validate_choice=False)
    key_column = SelectField(_l("Key column (identifies a record)"), validate_choice=False)
    answer = MultiCheckboxField(_l("The right columns"), validate_choice=False)
    explanation = TextAreaField(_l("Explanation (Markdown), shown at review"),
                                validators=[Length(max=10_000)])
    # Three hint slots, checked by the service (the course file's rules and words).
    hint1_text = TextAreaField(_l("Hint %(number)s (Markdown)", number=1))
    hint1_cost = OrdinaryIntegerField(_l("Cost (percent of the points)"),
                                      default=DEFAULT_HINT_COST, validators=[Optional()])
    hint2_text = TextAreaField(_l("Hint %(number)s (Markdown)", number=2))
    hint2_cost = OrdinaryIntegerField(_l("Cost (percent of the points)"),
                                      default=DEFAULT_HINT_COST, validators=[Optional()])
    hint3_text = TextAreaField(_l("Hint %(number)s (Markdown)", number=3))
    hint3_cost = OrdinaryIntegerField(_l("Cost (percent of the points)"),
                                      default=DEFAULT_HINT_COST, validators=[Optional()])
    no_code = TextAreaField(_l("Answers without SQL (SQL tasks only; YAML with builder_solution: "
                               "and/or twin:)"), validators=[Length(max=20_000)])
    revision = HiddenField()

    def hint_slots(self) -> list[tuple]:
        """(text field, cost field) of each hint slot, in order."""
        return [(self[f"hint{slot}_text"], self[f"hint{slot}_cost"]) for slot in HINT_SLOTS]

    def fill_choices(self, tables) -> None:
        """Tables and columns of the sample data: [(TableInfo, rows)] or TableInfo list."""
        self.table.choices = [SelectChoice(t.name, f"{t.label} ({t.name})") for t in tables]
        columns = [(t, name, label) for t in tables for name, _kind, label in t.columns]
        self.key_column.choices = [SelectChoice(name, f"{t.name} · {label} ({name})")
                                   for t, name, label in columns]
        self.answer.choices = [SelectChoice(f"{t.name}.{name}", f"{label} ({name})")
                               for t, name, label in columns]

    def fill_task(self, task: dict) -> None:
        spec = task["spec"]
        self.prompt.data, self.points.data = task["prompt"], task["points"]
        self.area.data, self.explanation.data = task["area"], task["explanation"]
        self.reference_sql.data, self.options_sql.data = task["reference_sql"], task["options_sql"]
        percent = spec.get("tolerance_percent")
        self.tolerance_kind.data = "absolute" if percent is None else "percent"
        self.tolerance.data = spec.get("tolerance") if percent is None else percent
        self.unit.data, self.ordered.data = spec.get("unit"), bool(spec.get("ordered"))
        self.table.data, self.key_column.data = spec.get("table"), spec.get("key_column")
        self.answer.data = [f"{spec.get('table')}.{name}" for name in spec.get("answer") or []]
        hints = task.get("hints") or []
        for slot, (text, cost) in zip(HINT_SLOTS, self.hint_slots(), strict=True):
            hint = hints[slot - 1] if slot <= len(hints) else None
            text.data = hint["text"] if hint else ""
            cost.data = hint["cost_percent"] if hint else DEFAULT_HINT_COST
        self.no_code.data = no_code_text(task)

    def task_input(self, kind: str) -> TaskInput:
        return TaskInput(type=kind, prompt=self.prompt.data or "", points=self.points.data,
                         area=self.area.data, explanation=self.explanation.data or "",
                         reference_sql=self.reference_sql.data,
                         options_sql=self.options_sql.data, spec=self._spec(kind),
                         hints=[(slot, text.data or "", cost.data) for slot, (text, cost)
                                in zip(HINT_SLOTS, self.hint_slots(), strict=True)],
                         # Only an SQL task's form shows the box: elsewhere it is not asked.
                         no_code=(self.no_code.data or "") if kind == "sql" else "")

    def _spec(self, kind: str) -> dict:
        """The task type's settings as an exercise file writes them."""
        if kind == "numeric":
            key = "tolerance_percent" if self.tolerance_kind.data == "percent" else "tolerance"
            return {key: self.tolerance.data or 0, **({"unit": self.unit.data}
                                                      if self.unit.data else {})}
        if kind == "sql":
            return {**({"ordered": True} if self.ordered.data else {}),
                    **({"tolerance": self.tolerance.data} if self.tolerance.data else {})}
        if kind == "rows":
            return {"table": self.table.data, "key_column": self.key_column.data}
        chosen = [value.split(".", 1) for value in self.answer.data or []]
        return {"table": self.table.data,
                "answer": [column for table, column in chosen if table == self.table.data]}
