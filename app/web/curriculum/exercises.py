"""Authoring: data exercises — dataset, settings and brief, the tasks, and a console on a
sample variant for writing each task's reference query."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from app.domain.course_files.datasets import MAX_CSV_BYTES
from app.domain.exercise_tasks import TASK_TYPES
from app.domain.markdown import render_markdown
from app.domain.scenarios import SCENARIOS
from app.labels import AREA_LABELS
from app.services.curriculum.authoring.courses import EditConflict
from app.services.curriculum.authoring.exercises import (
    CsvUpload,
    ExerciseInput,
    create_exercise,
    delete_task,
    find_exercise,
    move_task,
    reach_without_sql,
    save_task,
    update_exercise,
)
from app.services.curriculum.authoring.preview import run_sample_query, sample_data, sample_rows
from app.services.curriculum.authoring.quizzes import AssessmentInputError, attempt_count
from app.services.exercises.sandbox import SandboxError
from app.web.curriculum import AUTHORS, bp
from app.web.curriculum.assessment_forms import (
    TASK_TYPE_LABELS,
    ExerciseForm,
    NewExerciseForm,
    TaskForm,
    scenario_params,
)
from app.web.curriculum.courses import editable_course_or_abort, render_course_page
from app.web.curriculum.quizzes import editable_quiz_or_abort, problem_message, show_problems
from app.web.forms import ActionForm
from app.web.guards import roles_required
from app.web.transactions import commits


def _exercise_or_abort(exercise_id: int):
    return editable_quiz_or_abort(find_exercise, exercise_id)


def _param_problems(problems, param_errors: dict) -> list:
    """Problems of a scenario parameter go beside its field; the rest to the form."""
    for problem in problems:
        if problem.field.startswith("param-"):
            param_errors[problem.field.removeprefix("param-")] = problem_message(problem)
    return [p for p in problems if not p.field.startswith("param-")]


@bp.route("/courses/<code>/exercises/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def exercise_new(code: str):
    course = editable_course_or_abort(code)
    form = NewExerciseForm()
    form.scenario.choices = [SelectChoice(key, s.title) for key, s in SCENARIOS.items()]
    param_errors: dict[str, str] = {}
    if form.validate_on_submit():
        data = ExerciseInput(slug=form.slug.data, settings=form.settings(),
                             brief=form.brief.data or "")
        if form.source.data == "scenario":
            data.scenario = form.scenario.data
            data.params, param_errors = scenario_params(request.form, SCENARIOS[data.scenario])
        elif form.csv_file.data:
            data.upload = CsvUpload(form.table_name.data or "", form.table_label.data or "",
                                    form.csv_file.data.stream.read(MAX_CSV_BYTES + 1))
        if not param_errors:
            try:
                quiz = create_exercise(course, data, actor=current_user)
            except AssessmentInputError as error:
                show_problems(form, _param_problems(error.problems, param_errors))
            else:
                flash(_("Exercise %(code)s created. Now add its tasks.", code=quiz.code),
                      "success")
                return redirect(url_for(".exercise_edit", exercise_id=quiz.id))
    return render_course_page("curriculum/exercise_new.html", course, "assessments", form=form,
                              scenarios=SCENARIOS, param_errors=param_errors,
                              param_values={key: param_values(scenario, {})
                                            for key, scenario in SCENARIOS.items()})


def param_values(scenario, stored: dict) -> dict:
    """Each parameter's value for the form: as typed, else as stored, else its default."""
    return {name: request.form.get(f"param-{scenario.key}-{name}",
                                   stored.get(name, spec.default))
            for name, spec in scenario.parameters.items()}


@bp.route("/exercises/<int:exercise_id>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def exercise_edit(exercise_id: int):
    quiz = _exercise_or_abort(exercise_id)
    form = ExerciseForm()
    if request.method == "GET":
        form.fill_settings(quiz)
        form.brief.data = quiz.exercise.brief
    state = {"param_errors": {}, "conflict": False}
    if request.form.get("action") != "preview" and form.validate_on_submit():
        scenario = SCENARIOS.get(quiz.exercise.scenario_key or "")
        params, state["param_errors"] = scenario_params(request.form, scenario) \
            if scenario else ({}, {})
        data = ExerciseInput(slug=form.slug.data, settings=form.settings(),
                             brief=form.brief.data or "", params=params)
        try:
            if not state["param_errors"]:
                changed = update_exercise(quiz, data, revision=form.revision.data,
                                          actor=current_user)
                flash(_("Saved: the exercise is now version %(version)s.", version=quiz.version)
                      if changed else _("Saved; nothing had changed."), "success")
                return redirect(url_for(".exercise_edit", exercise_id=exercise_id))
        except EditConflict:
            state["conflict"], form.revision.data = True, quiz.content_hash
        except AssessmentInputError as error:
            show_problems(form, _param_problems(error.problems, state["param_errors"]))
    return _edit_page(quiz, form, **state)


def _edit_page(quiz, form, *, result=None, param_errors=None, conflict=False):
    scenario = SCENARIOS.get(quiz.exercise.scenario_key or "")
    return render_course_page(
        "curriculum/exercise_edit.html", quiz.course, "assessments", quiz=quiz, form=form,
        scenario=scenario, params=param_values(scenario, quiz.exercise.scenario_params or {})
        if scenario else {},
        brief_html=render_markdown(form.brief.data or ""), samples=sample_rows(quiz),
        data=sample_data(quiz), result=result, task_types=TASK_TYPE_LABELS,
        attempts=attempt_count(quiz), action_form=ActionForm(),
        area_labels={area.value: text for area, text in AREA_LABELS.items()},
        param_errors=param_errors or {}, conflict=conflict,
        without_sql=reach_without_sql(quiz))


@bp.post("/exercises/<int:exercise_id>/run")
@roles_required(*AUTHORS)
def exercise_run(exercise_id: int):
    """The console: a SELECT on the sample variant, in the learners' sandbox."""
    quiz = _exercise_or_abort(exercise_id)
    result = run_console(quiz, request.form.get("sql", ""))
    if request.headers.get("X-Requested-With") == "fetch":
        return jsonify(html=render_template("exercises/_result.html", result=result),
                       ok="error" not in result)
    form = ExerciseForm()
    form.fill_settings(quiz)
    form.brief.data = quiz.exercise.brief
    return _edit_page(quiz, form, result=result)


def run_console(quiz, sql: str) -> dict:
    try:
        result = run_sample_query(quiz, sql, actor=current_user)
    except SandboxError as error:
        return {"error": error.message(str(get_locale() or "zh")), "sql": sql}
    return {"columns": result.columns, "rows": result.rows, "truncated": result.truncated,
            "elapsed_ms": result.elapsed_ms, "sql": sql}


@bp.route("/exercises/<int:exercise_id>/tasks/new", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def task_new(exercise_id: int):
    quiz = _exercise_or_abort(exercise_id)
    kind = request.args.get("type", "numeric")
    if kind not in TASK_TYPES:
        abort(404)
    return _task_page(quiz, None, kind)


@bp.route("/exercises/<int:exercise_id>/tasks/<int:number>/edit", methods=["GET", "POST"])
@roles_required(*AUTHORS)
@commits
def task_edit(exercise_id: int, number: int):
    quiz = _exercise_or_abort(exercise_id)
    if not 1 <= number <= len(quiz.exercise.tasks):
        abort(404)
    return _task_page(quiz, number, quiz.exercise.tasks[number - 1]["type"])


def _task_page(quiz, number: int | None, kind: str):
    form = TaskForm()
    form.fill_choices(sample_data(quiz).tables)
    if request.method == "GET":
        if number is not None:
            form.fill_task(quiz.exercise.tasks[number - 1])
        form.revision.data = quiz.content_hash
    result, conflict = None, False
    if request.form.get("action") == "try":
        result = run_console(quiz, form.reference_sql.data or "")
    elif form.validate_on_submit():
        try:
            task_id = save_task(quiz, number, form.task_input(kind),
                                revision=form.revision.data, actor=current_user)
        except EditConflict:
            conflict, form.revision.data = True, quiz.content_hash
        except AssessmentInputError as error:
            show_problems(form, error.problems)
        else:
            flash(_("Task %(task)s saved: it works on three sample variants.", task=task_id),
                  "success")
            return redirect(url_for(".exercise_edit", exercise_id=quiz.id) + "#tasks")
    return render_course_page(
        "curriculum/exercise_task.html", quiz.course, "assessments", quiz=quiz, form=form,
        number=number, kind=kind, kind_label=TASK_TYPE_LABELS[kind], conflict=conflict,
        samples=sample_rows(quiz), result=result)


@bp.post("/exercises/<int:exercise_id>/tasks/<int:number>/delete")
@roles_required(*AUTHORS)
@commits
def task_delete(exercise_id: int, number: int):
    quiz = _exercise_or_abort(exercise_id)
    return _task_action(quiz, lambda revision: flash(_("Task %(task)s deleted.", task=delete_task(
        quiz, number, revision=revision, actor=current_user)), "success"))


@bp.post("/exercises/<int:exercise_id>/tasks/<int:number>/move")
@roles_required(*AUTHORS)
@commits
def task_move(exercise_id: int, number: int):
    quiz = _exercise_or_abort(exercise_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""), 0)
    return _task_action(quiz, lambda revision: move_task(quiz, number, offset, revision=revision,
                                                         actor=current_user))


def _task_action(quiz, action):
    """A task button: check the token, act on the revision the page showed, commit."""
    if ActionForm().validate_on_submit():
        try:
            action(request.form.get("revision", ""))
        except EditConflict:
            flash(_("The exercise changed since you opened the page; nothing was changed. "
                    "Look at the tasks again."), "warning")
    return redirect(url_for(".exercise_edit", exercise_id=quiz.id) + "#tasks")
