"""Answering quiz questions in the browser, using the attempt's snapshot to know the keys."""

from app.extensions import db
from app.models import Attempt


def attempt_snapshot(live_app, attempt_id: int) -> list[dict]:
    with live_app.app_context():
        return db.session.get(Attempt, attempt_id).questions


def _check(box, option_id):
    box.locator(f'input[value="{option_id}"]').check()


def _single(box, spec, display, correct):
    index = spec["answer"] if correct else (spec["answer"] + 1) % len(spec["options"])
    _check(box, display["ids"][index])


def _multiple(box, spec, display, correct):
    wrong = [i for i in range(len(spec["options"])) if i not in spec["answer"]][:1]
    for index in spec["answer"] if correct else wrong:
        _check(box, display["ids"][index])


def _truefalse(box, spec, display, correct):
    value = spec["answer"] if correct else not spec["answer"]
    _check(box, "true" if value else "false")


def _fill(box, spec, display, correct):
    box.locator("input").fill(spec["answers"][0] if correct else "不知道")


def _numeric(box, spec, display, correct):
    box.locator("input").fill(str(spec["answer"] if correct else spec["answer"] + 1000))


def _ordering(box, spec, display, correct):
    order = list(range(len(spec["items"])))
    for slot, index in enumerate(order if correct else order[::-1]):
        box.locator("select").nth(slot).select_option(display["ids"][index])


def _matching(box, spec, display, correct):
    count = len(display["term_ids"])
    for term_index, term_id in enumerate(display["term_ids"]):
        target = term_index if correct else (term_index + 1) % count
        box.locator(f'select[name$="match-{term_id}"]').select_option(
            display["definition_ids"][target])


def _essay(box, spec, display, correct):
    box.locator("textarea").fill("结合本单位实际，我会先梳理流程、减少材料，再用数据评估效果。")


FILLERS = {"single": _single, "multiple": _multiple, "truefalse": _truefalse, "fill": _fill,
           "numeric": _numeric, "ordering": _ordering, "matching": _matching, "essay": _essay}


def answer(page, position: int, item: dict, *, correct: bool = True) -> None:
    """Fill question `position` as a person would, right or (deliberately) wrong."""
    box = page.locator(f'fieldset[data-position="{position}"]')
    FILLERS[item["type"]](box, item["spec"], item["display"], correct)
    box.locator(".save-state", has_text="已保存").wait_for()


def submit(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#submit-button").click()
    page.wait_for_url("**/review")
