import re
from pathlib import Path

import pytest

from app.domain.course_files.lessons import lesson_name
from app.domain.demo_videos import DEMO_LECTURES
from app.domain.lecture_script import (
    CHARS_PER_SECOND,
    MAX_BULLET_CHARS,
    MAX_CUE_CHARS,
    NARRATION_BUDGET_CHARS,
    Slide,
    estimated_seconds,
    lecture_slides,
    plain_text,
    sentences_of,
    split_cue_text,
    subtitle_cues,
    vtt_timestamp,
    webvtt,
)

ROOT = Path(__file__).resolve().parents[2]

SAMPLE = """---
title: 第一课 读表
minutes: 30
---

## 学习目标

- 说得出一张表里 **一行** 代表什么；
- 认得出 [字段类型](https://example.org/types)。

## 一、一行是一件事

网格员登记的诉求，导出来就是一张表。每一列叫一个字段。

```sql
SELECT * FROM requests;
```

| 中文名 | 字段名 |
| --- | --- |
| 楼栋 | `building` |

表 `requests` 的一行就是一件诉求。

## 二、字段类型

### 1. 整数

编号是整数。

### 2. 文本

楼栋是文本。

## 三、只有一句

只有一句话。

## 小结

- 先问一行是什么；
- 再数行数。
"""


def _slides():
    return lecture_slides("第一课 读表", SAMPLE)


def test_slides_follow_the_lessons_sections_with_the_summary_last():
    headings = [slide.heading for slide in _slides()]
    # A section that yields fewer than two bullets (三) has no slide.
    assert headings == ["第一课 读表", "学习目标", "一、一行是一件事", "二、字段类型", "小结"]


def test_bullets_are_list_items_subheadings_or_first_sentences_without_markdown():
    slides = {slide.heading: slide for slide in _slides()}
    assert slides["学习目标"].bullets == ("说得出一张表里 一行 代表什么", "认得出 字段类型")
    assert slides["二、字段类型"].bullets == ("1. 整数", "2. 文本")
    # Paragraphs give their first sentences; code blocks and tables give nothing.
    assert slides["一、一行是一件事"].bullets == (
        "网格员登记的诉求，导出来就是一张表", "表 requests 的一行就是一件诉求")
    assert slides["小结"].bullets == ("先问一行是什么", "再数行数")
    for slide in slides.values():
        assert not any(mark in " ".join(slide.bullets) for mark in ("**", "`", "](", "|", "SELECT"))


def test_title_slide_outlines_the_parts_without_goals_or_summary():
    title = _slides()[0]
    assert title.bullets == ("一行是一件事", "字段类型")
    assert title.narration == ("欢迎学习第一课 读表。", "本课主要讲：一行是一件事；字段类型。")


def test_narration_says_the_heading_then_full_sentences_and_ends_the_lesson():
    slides = {slide.heading: slide for slide in _slides()}
    assert slides["一、一行是一件事"].narration == (
        "一、一行是一件事。", "网格员登记的诉求，导出来就是一张表。",
        "表 requests 的一行就是一件诉求。")
    assert slides["小结"].narration[-1] == "本课到此结束。"
    assert all(sentence.endswith(("。", "！", "？")) for slide in _slides()
               for sentence in slide.narration)


def test_long_bullets_are_cut_at_a_clause_or_shortened():
    text = "## 一节\n\n- " + "甲" * 20 + "，" + "乙" * 30 + "。\n- " + "丙" * 60 + "\n"
    bullets = lecture_slides("课", text)[1].bullets
    assert bullets[0] == "甲" * 20
    assert bullets[1] == "丙" * (MAX_BULLET_CHARS - 1) + "…"


@pytest.mark.parametrize("lecture", DEMO_LECTURES, ids=lambda lecture: lecture.folder)
def test_the_demo_lessons_make_lectures_of_two_to_four_minutes(lecture):
    lessons = ROOT / "courses" / lecture.course_code / "lessons"
    path = next(p for p in lessons.glob("*.md")
                if lesson_name(f"lessons/{p.name}").number == lecture.lesson_number)
    text = path.read_text(encoding="utf-8")
    title = re.search(r"^title: '?(.*?)'?$", text, re.M)[1]
    slides = lecture_slides(title, text)
    assert 4 <= len(slides) <= 7
    assert all(2 <= len(slide.bullets) <= 5 for slide in slides)
    assert 120 <= estimated_seconds(slides) <= 240
    assert sum(len(s) for slide in slides for s in slide.narration) <= (
        NARRATION_BUDGET_CHARS + 200)


def test_a_long_lesson_stays_within_the_narration_budget():
    sections = "".join(f"## 第{n}节\n\n" + "这是一句相当长的讲解内容，用来测试预算。" * 3 + "\n\n"
                       + "".join(f"- 要点{n}{i}：说明文字。\n" for i in range(5)) + "\n"
                       for n in range(1, 20))
    slides = lecture_slides("长课", sections)
    assert len(slides) <= 7
    assert estimated_seconds(slides) <= (NARRATION_BUDGET_CHARS + 150) / CHARS_PER_SECOND


def test_a_lesson_without_sections_gets_only_its_title_slide():
    assert lecture_slides("课", "只有一段话。") == [Slide("课", (), ("欢迎学习课。",))]


def test_plain_text_and_sentences():
    markdown = "看 ![图](assets/a.png)[规划](http://x) 的 **重点** `id`"
    assert plain_text(markdown) == "看 规划 的 重点 id"
    assert sentences_of("“内部数据就不敏感。” 数据看内容。对吗？") == [
        "“内部数据就不敏感。”", "数据看内容。", "对吗？"]


def test_cues_break_after_clauses_and_never_pass_the_limit():
    sentence = "很多干部第一次接触数字化工作，往往是从一个具体系统开始的：一个审批平台、一块大屏。"
    assert split_cue_text(sentence) == [
        "很多干部第一次接触数字化工作，", "往往是从一个具体系统开始的：",
        "一个审批平台、一块大屏。"]
    assert split_cue_text("欢迎学习第一课 数字中国战略与“2522”整体框架。") == [
        "欢迎学习第一课", "数字中国战略与“2522”整体框架。"]
    pieces = split_cue_text("一" * 45)
    assert [len(piece) for piece in pieces] == [15, 15, 15]
    assert all(len(piece) <= MAX_CUE_CHARS for piece in pieces)


def test_cue_times_are_proportional_to_length():
    cues = subtitle_cues([("前半句共十个字符啊，后半五个。", 1.5, 4.5)], limit=10)
    assert [(c.text, c.start, c.end) for c in cues] == [
        ("前半句共十个字符啊，", 1.5, 3.5), ("后半五个。", 3.5, 4.5)]


def test_webvtt_has_header_numbered_cues_and_timestamps():
    text = webvtt([("第一句。", 1.5, 3.0), ("第二句。", 3.25, 3661.004)])
    assert text == ("WEBVTT\n\n1\n00:00:01.500 --> 00:00:03.000\n第一句。\n\n"
                    "2\n00:00:03.250 --> 01:01:01.004\n第二句。\n")
    assert vtt_timestamp(59.9996) == "00:01:00.000"


def test_a_shortened_bullet_never_leaves_a_quotation_open():
    text = ("## 一节\n\n"
            "- 定级要以数据表为单位，按“识别、判断个人信息、判断敏感、对照目录、配套措施”"
            "五步进行。\n"
            "- 能够准确说出《数字中国建设整体布局规划》提出的“二五二二”整体框架和它的四个部分。\n")
    bullets = lecture_slides("课", text)[1].bullets
    assert bullets[0] == "定级要以数据表为单位，按“识别、判断个人信息、判断敏感、对照目录…”"
    assert bullets[1] == "能够准确说出《数字中国建设整体布局规划》提出的“二五二二”整体框架…"
    for bullet in bullets:
        assert bullet.count("“") == bullet.count("”") and bullet.count("《") == bullet.count("》")
