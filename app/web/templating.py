"""Template filters and globals shared by every page."""

from decimal import Decimal
from urllib.parse import urlsplit

from flask import Flask
from flask_babel import format_datetime

from app.domain.vocabulary import Rank, RoleName, WorkCategory
from app.labels import QUESTION_TYPE_NAMES, label
from app.web.assessment.messages import refusal_message
from app.web.assessment.presenting import correct_answer, describe, prefill, public_question
from app.web.exercises.analysis_words import (
    calc_ops,
    derive_funcs,
    group_ops,
    measure_funcs,
    row_ops,
)
from app.web.exercises.presenting import (
    describe_task,
    example_query,
    full_points,
    hint_views,
    operators,
    task_type_label,
)


def local_datetime(value, fmt: str = "yyyy-MM-dd HH:mm") -> str:
    """A UTC datetime shown in the configured zone (Asia/Shanghai)."""
    return format_datetime(value, fmt) if value is not None else ""


def is_safe_next(target: str | None) -> bool:
    """Only same-site paths may be used as a redirect after sign-in or a switch."""
    if not target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and target.startswith("/") \
        and not target.startswith("//") and "\\" not in target


def init_app(app: Flask) -> None:
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["question_type"] = lambda kind: QUESTION_TYPE_NAMES.get(kind, kind)
    app.jinja_env.filters["num"] = plain_number
    app.jinja_env.filters["rank_label"] = lambda value: label(Rank(value))
    app.jinja_env.filters["category_label"] = lambda value: label(WorkCategory(value))
    app.jinja_env.filters["local_dt"] = local_datetime
    app.jinja_env.globals["RoleName"] = RoleName
    app.jinja_env.globals.update(public_question=public_question, prefill=prefill,
                                 describe=describe, correct_answer=correct_answer,
                                 refusal=refusal_message)
    app.jinja_env.globals.update(describe_task=describe_task, example_query=example_query,
                                 hint_views=hint_views, full_points=full_points,
                                 operators=operators, derive_funcs=derive_funcs,
                                 row_ops=row_ops, group_ops=group_ops,
                                 measure_funcs=measure_funcs, calc_ops=calc_ops)
    app.jinja_env.filters["task_type_label"] = task_type_label


def plain_number(value) -> str:
    """A score or percentage as people write it: 23, 2.5, 33.33 (not 23.00 or 2.50)."""
    if value is None:
        return ""
    text = f"{Decimal(str(value)):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
