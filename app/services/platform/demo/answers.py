"""What a demo cadre posts for one item of an attempt, right or plausibly wrong.

The values have the shape the attempt form posts, so they go through save_answer and are
parsed and graded as anyone's. Right answers come from the item itself (the key of a
question, the expected value of a task computed on the cadre's own data); wrong ones are the
mistakes people make: the neighbouring option, the reversed order, a count instead of the
list asked for, half of the records.
"""

#: Essay paragraphs a demo cadre draws from (an essay is several of them).
ESSAY_PARAGRAPHS = (
    "我所在单位承担的是企业开办和变更登记业务，办理频次高，群众反映最多的是材料多、跑动多。",
    "从办事人视角看，这“一件事”应当从提出申请一直延伸到拿到营业执照、刻好印章、开好账户。",
    "现状大致是材料 12 份、环节 6 个、平均用时 8 个工作日、跑动 3 次，"
    "主要堵点是各部门串行审批、重复提交身份材料。",
    "改革设想是：身份和营业场所材料通过数据共享获取，取消重复提交；"
    "印章刻制和银行开户并联办理；对住所登记实行告知承诺。",
    "衡量时看一次办结率、办理时长、网办率和差评整改率，与改革前三个月的数据对比；"
    "同时用窗口暗访核实，防止指标被“做”出来。",
    "风险方面要守住个人信息保护底线，共享数据只用于本事项；保留线下和人工通道，照顾不会用手机的老年人。",
    "对探索中因政策界限不清出现的失误，按“三个区分开来”予以容错，但对明令禁止的事项不能碰。",
)


def demo_response(item: dict, *, correct: bool) -> dict | None:
    """What a cadre would post for one question of a quiz snapshot."""
    kind, spec, display = item["type"], item["spec"], item["display"]
    if kind == "single":
        index = spec["answer"] if correct else (spec["answer"] + 1) % len(spec["options"])
        return {"value": [display["ids"][index]]}
    if kind == "multiple":
        wrong = [i for i in range(len(spec["options"])) if i not in spec["answer"]][:1]
        return {"value": [display["ids"][i] for i in (spec["answer"] if correct else wrong)]}
    if kind == "truefalse":
        return {"value": ["true" if spec["answer"] == correct else "false"]}
    if kind == "fill":
        return {"value": [spec["answers"][0] if correct else "不清楚"]}
    if kind == "numeric":
        return {"value": [str(spec["answer"] if correct else spec["answer"] + 1000)]}
    if kind == "ordering":
        order = list(range(len(spec["items"])))
        return {"order": [display["ids"][i] for i in (order if correct else order[::-1])]}
    if kind == "matching":
        count = len(display["term_ids"])
        return {f"match-{term}": [display["definition_ids"][i if correct else (i + 1) % count]]
                for i, term in enumerate(display["term_ids"])}
    return None  # essays are written by demo_essay


def demo_task_response(item: dict, *, correct: bool) -> dict | None:
    """What a cadre would post for one task of an exercise snapshot."""
    kind, expected = item["type"], item["expected"]
    if kind == "numeric":
        return {"value": [_number(expected if correct else round(expected * 1.1 + 3, 2))]}
    if kind == "choice":
        others = [o for o in item["display"]["options"] if o != expected]
        return {"value": [expected if correct or not others else others[0]]}
    if kind == "sql":
        query = item["reference_sql"].strip().rstrip(";")
        # The classic slip: counting the rows of the right query instead of listing them.
        counted = f"SELECT COUNT(*) AS 行数 FROM ({query})"  # noqa: S608 - runs in the sandbox
        return {"value": [query if correct else counted]}
    if kind in ("rows", "columns"):
        chosen = list(expected) if correct else list(expected)[:max(1, len(expected) // 2)]
        return {"value": ["\n".join(map(str, chosen))]}
    return None


def demo_essay(username_draw: float) -> dict:
    """An essay of four to all seven paragraphs, chosen by the cadre's draw."""
    count = 4 + int(username_draw * (len(ESSAY_PARAGRAPHS) - 3))
    return {"value": ["\n\n".join(ESSAY_PARAGRAPHS[:min(count, len(ESSAY_PARAGRAPHS))])]}


def _number(value: float) -> str:
    """As a person types it: 42, not 42.0; every digit the data has otherwise."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
