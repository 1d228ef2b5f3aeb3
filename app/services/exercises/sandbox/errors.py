"""Refusals of the SQL sandbox: one code per reason, with a plain message in zh and en."""

#: code -> (Chinese template, English template). Templates take keyword fields.
MESSAGES: dict[str, tuple[str, str]] = {
    "empty": ("请输入一条查询语句", "Please enter a query"),
    "bad_encoding": (
        "查询语句含有无效字符（须为 UTF-8 文本）",
        "The query contains invalid characters (it must be UTF-8 text)",
    ),
    "too_long": (
        "查询语句过长（最多 {limit} 个字符）",
        "The query is too long (at most {limit} characters)",
    ),
    "multiple_statements": ("一次只能执行一条语句", "Only one statement can be run at a time"),
    "not_select": ("只允许查询语句（SELECT）", "Only SELECT queries are allowed"),
    "forbidden_function": (
        "不允许使用函数 {name}(){hint_zh}",
        "The function {name}() is not allowed{hint_en}",
    ),
    "forbidden_table": (
        "不能查询 {name_zh}，只能查询本练习的数据表",
        "{name_en} cannot be queried; only this exercise's tables can",
    ),
    "syntax": ("SQL 语法错误：{detail}", "SQL error: {detail}"),
    "too_deep": ("查询嵌套层数过多", "The query is nested too deeply"),
    "too_complex": ("查询过于复杂：{what_zh}", "The query is too complex: {what_en}"),
    "too_big": (
        "查询结果过大（单个值最多 {value_limit} 字节，全部结果最多 {result_limit} 个字符）",
        "The result is too large (at most {value_limit} bytes per value and "
        "{result_limit} characters in all)",
    ),
    "too_slow": (
        "查询超过 {seconds} 秒，已停止",
        "The query ran longer than {seconds} seconds and was stopped",
    ),
    "query_failed": ("查询执行出错：{detail}", "The query failed: {detail}"),
}

#: what_zh / what_en for the "too_complex" code.
COMPLEXITY: dict[str, tuple[str, str]] = {
    "compound": ("UNION 等组合查询的子句过多", "too many parts joined by UNION and the like"),
    "columns": ("列数过多", "too many columns"),
    "joins": ("连接的表过多", "too many tables in one join"),
    "arguments": ("函数参数过多", "too many arguments to a function"),
    "pattern": ("LIKE 或 GLOB 的匹配模式过长", "the LIKE or GLOB pattern is too long"),
    "program": ("查询编译后的程序过大", "the compiled query is too large"),
    "text_search": (
        "LIKE、GLOB、instr、replace、trim 等文本查找函数用得过多",
        "too many text-search functions (LIKE, GLOB, instr, replace, trim…)",
    ),
}

#: Extra advice for a few refused functions: name -> (zh, en).
FUNCTION_HINTS: dict[str, tuple[str, str]] = {
    "printf": ("，保留小数请用 round()", "; use round() to round numbers"),
    "format": ("，保留小数请用 round()", "; use round() to round numbers"),
}


class SandboxError(Exception):
    """A query the sandbox refused or stopped. ``code`` is stable; messages are for people."""

    def __init__(self, code: str, message_zh: str, message_en: str):
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.lower().startswith("en") else self.message_zh

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message_zh": self.message_zh, "message_en": self.message_en}


def refusal(code: str, **fields: object) -> SandboxError:
    zh, en = MESSAGES[code]
    return SandboxError(code, zh.format(**fields), en.format(**fields))


def forbidden_function(name: str) -> SandboxError:
    hint_zh, hint_en = FUNCTION_HINTS.get(name, ("", ""))
    return refusal("forbidden_function", name=name, hint_zh=hint_zh, hint_en=hint_en)


def forbidden_table(name: str) -> SandboxError:
    return refusal("forbidden_table", name_zh=name, name_en=name)


def table_valued_function() -> SandboxError:
    return refusal(
        "forbidden_table",
        name_zh="表值函数（pragma_…、json_each 等）",
        name_en="Table-valued functions (pragma_…, json_each…)",
    )


def too_complex(what: str) -> SandboxError:
    what_zh, what_en = COMPLEXITY[what]
    return refusal("too_complex", what_zh=what_zh, what_en=what_en)


def explain_error(error: SandboxError, lang: str = "zh") -> str:
    """The message to show a learner, in ``lang`` ("zh…" or "en…"; Chinese by default)."""
    return error.message(lang)
