"""Authoring: a course's quizzes and exercises, the quiz editor, the live draw count, and
the words for what the quiz and exercise services refuse."""

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import FieldList

from app.domain.vocabulary import CompetencyArea
from app.labels import QUESTION_TYPE_NAMES
from app.services.curriculum.authoring.courses import EditConflict
from app.services.curriculum.authoring.preview import course_assessments
from app.services.curriculum.authoring.quizzes import (
    AssessmentInputError,
    InputProblem,
    attempt_count,
    bank_questions,
    count_drawable,
    create_quiz,
    find_course_quiz,
    update_quiz,
)
from app.web.curriculum import AUTHORS, OWNERS_ONLY, bp
from app.web.curriculum.assessment_forms import QuizForm, ordered_questions
from app.web.curriculum.courses import editable_course_or_abort, render_course_page
from app.web.errors import refusal_says
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.transactions import commits


@refusal_says(OWNERS_ONLY)
def editable_quiz_or_abort(find, quiz_id: int):
    """The quiz `find` returns for the signed-in user; 404 / 403 otherwise."""
    return find(quiz_id, actor=current_user)


@bp.get("/courses/<code>/assessments", endpoint="course_assessments")
@roles_required(*AUTHORS)
def assessments(code: str):
    course = editable_course_or_abort(code)
    return render_course_page("curriculum/assessments.html", course, "assessments",
                              rows=course_assessments(course, actor=current_user),
                              form=ActionForm())


@bp.route("/courses/<code>/quizzes/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def quiz_new(code: str):
    course = editable_course_or_abort(code)
    form = QuizForm()
    if form.validate_on_submit():
        try:
            quiz = create_quiz(course, form.quiz_input(request.form), actor=current_user)
        except AssessmentInputError as error:
            show_problems(form, error.problems)
        else:
            flash(_("Quiz %(code)s created.", code=quiz.code), "success")
            return redirect(url_for(".course_assessments", code=code))
    return _quiz_page(course, None, form)


@bp.route("/quizzes/<int:quiz_id>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def quiz_edit(quiz_id: int):
    quiz = editable_quiz_or_abort(find_course_quiz, quiz_id)
    form = QuizForm()
    if request.method == "GET":
        form.fill_from(quiz)
    conflict = False
    if form.validate_on_submit():
        try:
            changed = update_quiz(quiz, form.quiz_input(request.form),
                                  revision=form.revision.data, actor=current_user)
        except EditConflict:
            conflict, form.revision.data = True, quiz.content_hash
        except AssessmentInputError as error:
            show_problems(form, error.problems)
        else:
            flash(_("Saved: the quiz is now version %(version)s.", version=quiz.version)
                  if changed else _("Saved; the questions and settings had not changed."),
                  "success")
            return redirect(url_for(".quiz_edit", quiz_id=quiz_id))
    return _quiz_page(quiz.course, quiz, form, conflict=conflict)


def _quiz_page(course, quiz, form: QuizForm, *, conflict: bool = False):
    entries = form.draw.entries
    if request.method == "POST" and entries[-1].count.data is not None \
            and len(entries) < form.draw.max_entries:
        form.draw.append_entry()  # a blank row to add a rule, also without script
    chosen = ordered_questions(request.form) if request.method == "POST" \
        else list(quiz.question_keys or []) if quiz else []
    return render_course_page(
        "curriculum/quiz_form.html", course, "assessments", form=form, quiz=quiz,
        conflict=conflict, questions=bank_questions(course), type_names=QUESTION_TYPE_NAMES,
        chosen={key: index for index, key in enumerate(chosen, start=1)},
        attempts=attempt_count(quiz) if quiz else 0)


@bp.get("/courses/<code>/draw-count")
@roles_required(*AUTHORS)
def draw_count(code: str):
    """How many active questions a draw rule could take (authoring.js shows it by the rule)."""
    course = editable_course_or_abort(code)
    bank, area = request.args.get("bank", ""), request.args.get("area", "")
    difficulty = request.args.get("difficulty", "")
    if bank not in ("course", "shared") or area not in {a.value for a in CompetencyArea} \
            or difficulty not in ("", "1", "2", "3"):
        return jsonify(available=0, error=_("Choose a bank and an area."))
    return jsonify(available=count_drawable(course, bank, area,
                                            int(difficulty) if difficulty else None))


def show_problems(form, problems) -> None:
    """Each problem under its field (a draw rule's under its row), the rest above the form."""
    for problem in problems:
        text = problem_message(problem)
        name, _sep, row = problem.field.partition("-")
        rules = getattr(form, "rule_entries", [])  # rule n is the n-th row with a count
        if name == "draw" and row.isdigit() and int(row) < len(rules):
            field = form.draw.entries[rules[int(row)]].form.count
        else:
            field = form._fields.get(problem.field)
        if field is None or isinstance(field, FieldList):
            form.form_errors.append(text)
        else:
            field.errors = [*field.errors, text]


def problem_message(problem) -> str:
    params = problem.params
    messages = {
        "required": lambda: _("This is required."),
        "too_long": lambda: _("At most %(max)s characters.", max=params.get("max")),
        "range": lambda: _("From %(min)s to %(max)s.", min=params.get("min"),
                           max=params.get("max")),
        "dates_order": lambda: _("The closing time must be after the opening time."),
        "bad_slug": lambda: _("Use 1 to %(max)s characters: a-z, 0-9 and -.",
                              max=params.get("max")),
        "slug_taken": lambda: (_("%(code)s is already an exercise's code: choose another short "
                                 "name.", code=params.get("code"))
                               if params.get("kind") == "exercise" else
                               _("%(code)s is already a quiz's code: choose another short name.",
                                 code=params.get("code"))),
        "slug_locked": lambda: _("%(code)s has attempts, so its short name stays.",
                                 code=params.get("code")),
        "questions_or_draw": lambda: _("Tick the questions of a fixed list, or give draw rules."),
        "too_many_questions": lambda: _("At most %(max)s questions.", max=params.get("max")),
        "question_twice": lambda: _("Question %(key)s is listed twice.", key=params.get("key")),
        "question_unknown": lambda: _("Question %(key)s is not an active question of this "
                                      "course's bank or the shared bank.", key=params.get("key")),
        "too_many_rules": lambda: _("At most %(max)s draw rules.", max=params.get("max")),
        "rule_values": lambda: _("Choose a bank and an area."),
        "rule_count": lambda: _("Draw 1 to %(max)s questions.", max=params.get("max")),
        "rule_repeat": lambda: _("The same bank, area and difficulty as rule %(row)s: add the "
                                 "counts up there.", row=params.get("row")),
        "rule_short": lambda: _("Needs %(count)s, there are %(available)s (active questions, "
                                "essays are never drawn).", count=params.get("count"),
                                available=params.get("available")),
        "rule_group_short": lambda: _("The rules of this bank and area need %(total)s questions "
                                      "together; there are %(available)s.",
                                      total=params.get("total"),
                                      available=params.get("available")),
        "rule_order": lambda: _("Put this rule (any difficulty) after the rules of the same bank "
                                "and area with a difficulty: rules draw in order, and this one "
                                "could take their questions."),
    }
    messages.update(_exercise_messages(params))
    return messages.get(problem.code, lambda: problem.code)()


def _exercise_messages(params: dict) -> dict:
    return {
        "source_required": lambda: _("Choose a scenario, or upload a CSV file."),
        "unknown_scenario": lambda: _("Choose one of the scenarios."),
        "unknown_param": lambda: _("The scenario has no parameter %(name)s.",
                                   name=params.get("name")),
        "bad_table_name": lambda: _("A table name uses a-z, 0-9 and _, starts with a letter and "
                                    "is not an SQL keyword, e.g. sites."),
        "csv": lambda: csv_problem(params),
        "too_many_tasks": lambda: _("An exercise has at most %(max)s tasks.",
                                    max=params.get("max")),
        "unknown_task_type": lambda: _("Choose a task type."),
        "text_length": lambda: _("This is required (at most %(max)s characters).",
                                 max=params.get("max")),
        "points": lambda: _("Points are more than 0 and at most 100, in steps of 0.5."),
        "task_rule": lambda: _("Not accepted: %(message)s", message=params.get("message")),
        "tolerance_both": lambda: _("Give either an absolute or a percent tolerance."),
        "columns_required": lambda: _("Tick the columns of the chosen table that are the answer."),
        "too_many_hints": lambda: _("A task has at most %(max)s hints.", max=params.get("max")),
        "hint_cost": lambda: _("A whole number from 0 to 100."),
        "no_code_sql_only": lambda: _("Answers without SQL belong to SQL tasks only."),
        "no_code_problem": lambda: _("Line %(line)s: %(message)s", line=params.get("line"),
                                     message=params.get("message")),
        "hint_total_cost": lambda: _("The hints' costs add up to %(total)s%%; at most %(max)s%%.",
                                     total=params.get("total"), max=params.get("max")),
        "reference_problem": lambda: _("On sample variant %(seed)s: %(message)s",
                                       seed=params.get("seed"), message=params.get("message")),
        "reference_empty": lambda: _("The answer is empty on sample variant %(seed)s: the "
                                     "reference query must find something on every variant.",
                                     seed=params.get("seed")),
        "same_on_every_seed": lambda: _("The answer is the same on all three sample variants "
                                        "(%(value)s). Every cadre gets their own data, so the "
                                        "answer should be computed from it and differ: does the "
                                        "query write the answer in?", value=params.get("value")),
        "task_broken": lambda: _("Task %(task)s does not work with these parameters: %(problem)s",
                                 task=params.get("task"), problem=_task_broken(params)),
    }


def _task_broken(params: dict) -> str:
    return problem_message(InputProblem("params", params.get("reason", ""), params))


def csv_problem(params: dict) -> str:
    """A problem of an uploaded CSV dataset in the reader's language, with its line."""
    messages = {
        "csv_too_large": lambda: _("The file is larger than %(max)s MiB.", max=params["max_mib"]),
        "csv_not_utf8": lambda: _("The file is not UTF-8 text: save the CSV as UTF-8."),
        "csv_unreadable": lambda: _("The file is not a readable CSV file."),
        "csv_no_header": lambda: _("The first row must name the columns."),
        "csv_too_many_rows": lambda: _("%(rows)s rows; at most %(max)s.", rows=params["rows"],
                                       max=params["max"]),
        "csv_row_width": lambda: _("The row has %(values)s values; the header has %(columns)s "
                                   "columns.", values=params["values"],
                                   columns=params["columns"]),
        "csv_too_many_columns": lambda: _("%(columns)s columns; at most %(max)s.",
                                          columns=params["columns"], max=params["max"]),
        "csv_bad_column": lambda: _("Column %(position)s (%(column)s): a column name uses a-z, "
                                    "0-9 and _, starts with a letter and is not an SQL keyword "
                                    "(write a label after |, e.g. street|街道).",
                                    position=params["position"], column=params["column"]),
        "csv_column_twice": lambda: _("Column %(column)s is named twice.",
                                      column=params["column"]),
        "csv_label_too_long": lambda: _("The label of column %(column)s is longer than %(max)s "
                                        "characters.", column=params["column"],
                                        max=params["max"]),
    }
    text = messages[params["code"]]() if params.get("code") in messages \
        else str(params.get("message"))
    return _("Line %(line)s: %(message)s", line=params["line"], message=text) \
        if params.get("line") else text
