"""Turning snapshot questions and stored responses into what pages show and forms prefill."""

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.domain.grading import question_type
from app.web.exercises.presenting import describe_task, expected_value


def public_question(item: dict) -> dict:
    """Everything the browser may see of a question before review: never the key."""
    return {"type": item["type"], "points": item["points"], "prompt_html": item["prompt_html"],
            **question_type(item["type"]).public(item["spec"], item["display"])}


def raw_answers(form: MultiDict, position: int) -> dict[str, list[str]]:
    """The form fields of one question (named q<position>-<field>), without the prefix."""
    prefix = f"q{position}-"
    return {key.removeprefix(prefix): form.getlist(key)
            for key in form if key.startswith(prefix)}


def prefill(item: dict, response) -> dict:
    """Form values (in display ids) that show a stored response again."""
    display, kind = item["display"], item["type"]
    if response is None:
        return {}
    if kind == "single":
        return {"value": [display["ids"][response]]}
    if kind == "multiple":
        return {"value": [display["ids"][i] for i in response]}
    if kind == "truefalse":
        return {"value": ["true" if response else "false"]}
    if kind == "ordering":
        return {"order": [display["ids"][i] for i in response]}
    if kind == "matching":
        return {f"match-{display['term_ids'][int(t)]}": [display["definition_ids"][d]]
                for t, d in response.items()}
    return {"value": [str(response)]}


def describe(item: dict, response) -> str:
    """A response (or a key) as words, for the review page."""
    if item.get("family") == "task":
        return describe_task(item, response)
    spec, kind = item["spec"], item["type"]
    if response is None or response == [] or response == {}:
        return _("(no answer)")
    if kind == "single":
        return spec["options"][response]
    if kind == "multiple":
        return "；".join(spec["options"][i] for i in response)
    if kind == "truefalse":
        return _("True") if response else _("False")
    if kind == "numeric":
        unit = spec.get("unit") or ""
        return f"{response:g}{unit}"
    if kind == "ordering":
        return " → ".join(spec["items"][i] for i in response)
    if kind == "matching":
        pairs = spec["pairs"]
        return "；".join(f"{pairs[int(t)][0]} — {pairs[d][1]}" for t, d in response.items())
    return str(response)


def correct_answer(item: dict):
    if item.get("family") == "task":
        return expected_value(item)
    return question_type(item["type"]).key(item["spec"], item["display"])
