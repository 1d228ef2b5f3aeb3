"""Driving the exercise workspace as a cadre without SQL: the analysis builder's rows (one
model, in the builder_solution format of the course files, filled field by field), the
data table's filter, and the task forms. Nothing here ever touches the SQL console."""

import re


def open_workspace(page, url: str) -> None:
    """A fresh workspace: the builder with one blank row per section, no result yet."""
    page.goto(url)
    page.wait_for_selector("#builder-form", state="attached")


def table_count(page, url: str, table: str, column: str, op: str, value: str = "") -> int:
    """The data table's own filter, and the "共 N 行" it shows above the rows."""
    page.goto(f"{url}?table={table}")
    page.locator("#filter-0-column").select_option(column)
    page.locator("#filter-0-op").select_option(op)
    if value:
        page.locator("#filter-0-value").fill(value)
    page.locator("#apply-filter").click()
    page.wait_for_url("**filter-0-column=**")
    return int(re.search(r"共\s*([\d,]+)\s*行", page.locator("#table-count").inner_text())
               .group(1).replace(",", ""))


def table_cells(page, column_index: int) -> list[str]:
    """One column of the data table's page on screen (1 = the first column)."""
    return page.locator(f"#data-table tbody tr td:nth-child({column_index})").all_inner_texts()


def _row(page, kind: str, index: int) -> None:
    """Press the section's "添加" until row `index` exists (row 0 is on the page)."""
    step = page.locator(f'fieldset.builder-step[data-kind="{kind}"]')
    while step.locator(".builder-rows > .builder-row").count() <= index:
        step.locator("button.builder-add").click()


def _condition(page, prefix: str, rule: dict) -> None:
    page.locator(f"#b-{prefix}-column").fill(rule["column"])
    page.locator(f"#b-{prefix}-op").select_option(rule["op"])
    for part in ("value", "value2", "other"):
        if rule.get(part) is not None:
            page.locator(f"#b-{prefix}-{part}").fill(str(rule[part]))


def _derived(page, i: int, spec: dict) -> None:
    _row(page, "derive", i)
    page.locator(f"#b-derive-{i}-name").fill(spec["name"])
    page.locator(f"#b-derive-{i}-func").select_option(spec["func"])
    page.locator(f"#b-derive-{i}-column").fill(spec["column"])
    if spec.get("other"):
        page.locator(f"#b-derive-{i}-other").fill(spec["other"])
    for k, value in enumerate(spec.get("args", [])):
        page.locator(f"#b-derive-{i}-arg-{k}").fill(str(value))  # bands' ids end in -band


def _listed(page, kind: str, names: list[str]) -> None:
    step = page.locator(f'fieldset.builder-step[data-kind="{kind}"]')
    for k, name in enumerate(names):
        while step.locator(f'input[name="{kind}"]').count() <= k:
            step.locator("button.builder-add").click()
        step.locator(f'input[name="{kind}"]').nth(k).fill(name)


def _measure(page, i: int, spec: dict) -> None:
    _row(page, "measure", i)
    page.locator(f"#b-measure-{i}-func").select_option(spec["func"])
    if spec.get("column"):
        page.locator(f"#b-measure-{i}-column").fill(spec["column"])
    if spec.get("name"):
        page.locator(f"#b-measure-{i}-name").fill(spec["name"])
    if spec.get("shown") is False:
        page.locator(f"#b-measure-{i}-hidden").check()
    if spec.get("where"):
        details = page.locator(f"#b-measure-{i}-where-0-column").locator("xpath=ancestor::details")
        details.locator("summary").click()
        for k, rule in enumerate(spec["where"]):
            _condition(page, f"measure-{i}-where-{k}", rule)


def fill_builder(page, model: dict, chart: str = "") -> None:
    """Every step of the model, in the builder's own fields, as a cadre would set them."""
    page.locator("#tab-builder").click()
    page.locator("#tool-builder.active").wait_for()
    page.locator("#b-table").select_option(model["table"])
    if model.get("join"):
        join = model["join"]
        page.locator("#b-join-table").select_option(join["table"])
        page.locator("#b-join-left").fill(join["left"])
        page.locator("#b-join-right").fill(join["right"])
        page.locator("#b-join-keep").set_checked(join.get("keep_unmatched", True))
    for i, spec in enumerate(model.get("derived", [])):
        _derived(page, i, spec)
    _listed(page, "distinct", model.get("distinct", []))
    for i, rule in enumerate(model.get("filters", [])):
        _row(page, "filter", i)
        _condition(page, f"filter-{i}", rule)
    _listed(page, "columns", model.get("columns", []))
    for i, name in enumerate(model.get("group_by", [])):
        _row(page, "group", i)
        page.locator(f"#b-group-{i}").fill(name)
    for i, spec in enumerate(model.get("measures", [])):
        _measure(page, i, spec)
    for i, calc in enumerate(model.get("calculations", [])):
        _row(page, "calc", i)
        page.locator(f"#b-calc-{i}-name").fill(calc["name"])
        page.locator(f"#b-calc-{i}-op").select_option(calc["op"])
        page.locator(f"#b-calc-{i}-left").fill(calc["left"])
        page.locator(f"#b-calc-{i}-right").fill(calc["right"])
        if calc.get("digits") is not None:
            page.locator(f"#b-calc-{i}-digits").fill(str(calc["digits"]))
    for i, rule in enumerate(model.get("having", [])):
        _row(page, "having", i)
        _condition(page, f"having-{i}", rule)
    for i, key in enumerate(model.get("sort", [])):
        _row(page, "sort", i)
        page.locator(f"#b-sort-{i}-column").fill(key["column"])
        page.locator(f"#b-sort-{i}-order").select_option("desc" if key.get("descending") else "asc")
    page.locator("#b-limit").fill(str(model.get("limit", 100)))
    page.locator("#builder-chart").select_option(chart)


def analyse(page, url: str, model: dict, chart: str = "") -> list[list[str]]:
    """Build the model on a fresh workspace, run it, and read the result table's cells as
    the page shows them: groups first, then the figures shown, then the calculations."""
    open_workspace(page, url)
    fill_builder(page, model, chart)
    page.locator("#run-builder").click()
    page.locator("#result .query-result").wait_for()
    error = page.locator("#query-error")
    assert error.count() == 0, f"{error.inner_text()} ({error.get_attribute('data-field')})"
    assert "只显示前" not in page.locator("#result-count").inner_text()  # every row on screen
    return [row.locator("td").all_inner_texts()
            for row in page.locator("#result-table tbody tr").all()]


def _saved(page, position: int) -> None:
    page.locator(f"#question-{position} .save-state", has_text="已保存").wait_for()


def answer_number(page, position: int, value: float | int | str, *, twin: bool = False) -> None:
    page.locator(f"#q{position}-{'twin' if twin else 'value'}").fill(str(value))
    _saved(page, position)


def answer_choice(page, position: int, option: str) -> None:
    page.locator(f"#q{position}-value").select_option(option)
    _saved(page, position)


def answer_rows(page, position: int, keys: list[str]) -> None:
    page.locator(f"#q{position}-value").fill("\n".join(keys))
    _saved(page, position)


def answer_columns(page, position: int, columns: list[str]) -> None:
    for column in columns:
        page.locator(f"#q{position}-value-{column}").check()
    _saved(page, position)


def answer_with_result(page, position: int) -> None:
    """The SQL task's "用当前分析结果作答": the result on screen becomes the answer."""
    page.locator(f'button.use-result-sql[data-target="q{position}-value"]').click()
    assert "评分时按它" in page.locator(f"#q{position}-value-used").inner_text()
    assert page.locator(f"#q{position}-value").input_value().strip()
    _saved(page, position)
