"""The exercise workspace: brief, tables, SQL console, no-code builder, charts and tasks.

The page works without script (forms post back and the page is drawn again); with
script, the console and the builder post with fetch and swap in the result.
"""

from dataclasses import replace

from flask import (
    Blueprint,
    Response,
    abort,
    jsonify,
    render_template,
    request,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.domain.analysis import AnalysisError
from app.domain.analysis.form import form_field, parse_analysis_form
from app.domain.analysis.steps import describe_steps
from app.domain.vocabulary import AttemptState
from app.models.types import utcnow
from app.services.exercises.analysis import join_suggestions, run_analysis
from app.services.exercises.datasets import attempt_data
from app.services.exercises.hints import hints_opened
from app.services.exercises.sandbox import SandboxError
from app.services.exercises.workspace import (
    BuilderError,
    ChartError,
    Filter,
    WorkspaceBusy,
    brief_html,
    browse_table,
    chart_svg,
    find_workspace_attempt,
    run_console_query,
    table_csv,
)
from app.web.exercises.analysis_words import builder_rows, column_labels, step_sentence
from app.web.exercises.messages import builder_problem, chart_problem, notice_text
from app.web.exercises.presenting import builder_headers, task_values
from app.web.forms import ActionForm
from app.web.guards import login_required
from app.web.transactions import commits

bp = Blueprint("exercises", __name__)
CHART_KINDS = ("bar", "line")


def _attempt_or_404(attempt_id: int):
    return find_workspace_attempt(attempt_id, actor=current_user)


def render_workspace(attempt, *, result: dict | None = None, tool: str = "sql"):
    """The whole workspace page (also called by the attempt page for exercises)."""
    data = attempt_data(attempt)
    table_name = request.args.get("table") or data.tables[0].name
    filters = _filters_from(request.args)
    page = None
    browse_error = None
    try:
        page = browse_table(attempt, table_name, filters=filters,
                            sort=request.args.get("sort") or None,
                            descending=request.args.get("order") == "desc",
                            page=request.args.get("page", 1, type=int) or 1,
                            actor=current_user)
    except BuilderError as error:
        browse_error = builder_problem(error)
    except (SandboxError, WorkspaceBusy) as error:
        browse_error = _query_problem(error)
    answers = {a.position: a.response for a in attempt.answers}
    answering = attempt.state is AttemptState.IN_PROGRESS
    return render_template(
        "exercises/workspace.html", attempt=attempt, brief_html=brief_html(attempt),
        data=data, table_name=table_name, filters=filters, page=page,
        browse_error=browse_error, result=result, tool=tool, answering=answering,
        values={i: task_values(item, answers.get(i)) for i, item in enumerate(attempt.questions)},
        opened_hints=hints_opened(attempt) if answering else {},
        form=ActionForm(), now=utcnow(), form_values=request.form,
        builder=builder_rows(request.form), joins=join_suggestions(attempt))


def _filters_from(args) -> tuple[Filter, ...]:
    filters = []
    for i in range(3):
        column = args.get(f"filter-{i}-column", "").strip()
        if column:
            filters.append(Filter(column, args.get(f"filter-{i}-op", "eq"),
                                  args.get(f"filter-{i}-value", "")))
    return tuple(filters)


@bp.get("/attempts/<int:attempt_id>/data")
@login_required
def data(attempt_id: int):
    """The workspace without the tasks: for exploring one's data again after submitting."""
    return render_workspace(_attempt_or_404(attempt_id))


@bp.post("/attempts/<int:attempt_id>/query")
@login_required
@commits
def query(attempt_id: int):
    attempt = _attempt_or_404(attempt_id)
    sql = request.form.get("sql", "")
    try:
        result = run_console_query(attempt, sql, actor=current_user)
    except (SandboxError, WorkspaceBusy) as error:
        return _respond(attempt, {"error": _query_problem(error), "sql": sql}, "sql")
    return _respond(attempt, _shown(result, sql), "sql")


@bp.post("/attempts/<int:attempt_id>/analyze")
@login_required
@commits
def analyze(attempt_id: int):
    """The no-code builder: the posted steps run as one query, shown step by step."""
    attempt = _attempt_or_404(attempt_id)
    form = {key: request.form.getlist(key) for key in request.form if key != "csrf_token"}
    try:
        model = parse_analysis_form(form)
        sql, result, notices = run_analysis(attempt, model, actor=current_user)
    except AnalysisError as error:
        problem = {"error": builder_problem(error), "field": form_field(form, error.field)}
        return _respond(attempt, problem, "builder")
    except (SandboxError, WorkspaceBusy) as error:
        return _respond(attempt, {"error": _query_problem(error)}, "builder")
    data = attempt_data(attempt)  # cached: the variant the service just used
    labels = column_labels(data, model)
    shown = _shown(replace(result, columns=builder_headers(result.columns, labels)), sql)
    shown["steps"] = [(step_sentence(step), step.sql)
                      for step in describe_steps(data.schema, model, labels)]
    shown["notices"] = [notice_text(notice) for notice in notices]
    return _respond(attempt, shown, "builder")


def _shown(result, sql: str) -> dict:
    shown = {"columns": result.columns, "rows": result.rows, "truncated": result.truncated,
             "elapsed_ms": result.elapsed_ms, "sql": sql}
    kind = request.form.get("chart", "")
    if kind in CHART_KINDS:
        try:
            shown["chart"] = chart_svg(result, kind)
        except ChartError as error:
            shown["chart_error"] = chart_problem(error)
    return shown


def _respond(attempt, result: dict, tool: str):
    if request.headers.get("X-Requested-With") == "fetch":
        html = render_template("exercises/_result.html", result=result, attempt=attempt)
        return jsonify(html=html, ok="error" not in result, field=result.get("field", ""))
    return render_workspace(attempt, result=result, tool=tool)


def _query_problem(error: Exception) -> str:
    if isinstance(error, WorkspaceBusy):
        return _("Your previous queries are still running; wait a moment and try again.")
    return error.message(str(get_locale() or "zh"))


@bp.get("/attempts/<int:attempt_id>/tables/<table>.csv")
@login_required
def table_download(attempt_id: int, table: str):
    attempt = _attempt_or_404(attempt_id)
    try:
        name, body = table_csv(attempt, table, actor=current_user)
    except (SandboxError, WorkspaceBusy) as error:
        abort(503, description=_query_problem(error))
    filename = f"{attempt.quiz.code.replace('/', '-')}-{name}"
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})
