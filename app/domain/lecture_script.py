"""A short lecture drawn from a lesson's Markdown: slides to show and Chinese sentences to speak.

The lesson's own structure makes the slides: its title opens, then one slide per ``##`` section
(the sub-headings, list items or first sentences as bullets) until the narration budget is
spent. The narration says the heading, the section's opening sentence and each bullet in full.
Speech synthesis runs at roughly ``CHARS_PER_SECOND`` Chinese characters a second, so the budget
in characters keeps a lecture to about three minutes. ``webvtt`` turns the timed sentences into
subtitles. Pure: plain text in, plain values out.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

#: espeak-ng's Mandarin voice at 170 words a minute speaks about this many characters a second.
CHARS_PER_SECOND = 2.8
#: About three minutes of speech (the pauses between sentences and slides come on top).
NARRATION_BUDGET_CHARS = 500
MAX_CONTENT_SLIDES = 6
MIN_BULLETS, MAX_BULLETS = 2, 5
#: A bullet fits on two lines of the slide; a longer one is cut at a clause or shortened.
MAX_BULLET_CHARS = 34
#: Narration per slide, so one long section does not eat the whole lecture.
MAX_SLIDE_NARRATION_CHARS = 150
MAX_CUE_CHARS = 20

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)、])\s+(.*)$")
_TABLE_ROW = re.compile(r"^\s*\|")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_CODE = re.compile(r"`+([^`]*)`+")
_EMPHASIS = re.compile(r"(\*\*|__|\*|~~)")
_TAG = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"[^。！？；!?;]+(?:[。！？；!?;]+[”’）)]*|$)|[。！？；!?;]+")
_CLAUSE_END = re.compile(r"(?<=[，、：；。！？,:;!?])")
_BULLET_CLAUSE_END = re.compile(r"(?<=[，：；。！？,:;!?])")
_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|\d+[.、]\s*)")
#: Sections that state goals (not worth an outline entry) or sum up (the closing slide).
_GOALS = re.compile(r"学习目标|本课目标")
_SUMMARY = re.compile(r"要点回顾|小结|总结")
_TRAILING_PUNCTUATION = "，、：；。,:;."
_PAIRS = (("“", "”"), ("《", "》"))


@dataclass(frozen=True)
class Slide:
    heading: str
    bullets: tuple[str, ...]
    narration: tuple[str, ...]  # the sentences spoken while the slide shows


@dataclass(frozen=True)
class Cue:
    text: str
    start: float  # seconds
    end: float


@dataclass
class _Section:
    heading: str
    subheadings: list[str]
    items: list[str]
    paragraphs: list[str]


def lecture_slides(title: str, markdown: str) -> list[Slide]:
    """The title slide, then a slide per section with at least two bullets, within the budget."""
    sections = [s for s in _sections(_without_front_matter(markdown)) if _bullets(s)]
    closing = next((s for s in reversed(sections) if _SUMMARY.search(s.heading)), None)
    slides: list[Slide] = []
    spent = narration_chars(_section_slide(closing).narration) if closing else 0
    for section in sections:
        if section is closing or len(slides) >= MAX_CONTENT_SLIDES - (closing is not None):
            break
        slide = _section_slide(section)
        cost = narration_chars(slide.narration)
        if slides and spent + cost > NARRATION_BUDGET_CHARS:
            break
        slides.append(slide)
        spent += cost
    if closing:
        last = _section_slide(closing)
        slides.append(Slide(last.heading, last.bullets, (*last.narration, "本课到此结束。")))
    return [_title_slide(plain_text(title), slides), *slides]


def _title_slide(title: str, slides: list[Slide]) -> Slide:
    """The lesson title, and the parts it goes through as its outline."""
    outline = tuple(_ORDINAL.sub("", slide.heading) for slide in slides
                    if not _GOALS.search(slide.heading) and not _SUMMARY.search(slide.heading)
                    )[:MAX_BULLETS]
    narration = [f"欢迎学习{title}。"]
    if outline:
        narration.append("本课主要讲：" + "；".join(outline) + "。")
    return Slide(title, outline, tuple(narration))


def narration_chars(sentences: Sequence[str]) -> int:
    return sum(len(sentence) for sentence in sentences)


def estimated_seconds(slides: Sequence[Slide]) -> float:
    return sum(narration_chars(slide.narration) for slide in slides) / CHARS_PER_SECOND


def plain_text(markdown: str) -> str:
    """Inline Markdown as the words a reader sees: no images, link targets, code ticks or stars."""
    text = _IMAGE.sub("", markdown)
    text = _LINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def sentences_of(text: str) -> list[str]:
    """Sentences ending in 。！？； (or the text's end), without empty pieces."""
    return [piece.strip() for piece in _SENTENCE.findall(text) if piece.strip()]


def _without_front_matter(text: str) -> str:
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() == "---":
                return "\n".join(lines[index + 1:])
    return text


def _sections(markdown: str) -> list[_Section]:
    """Level-two sections (a lesson's parts); text before the first one is an untitled part."""
    sections = [_Section("", [], [], [])]
    paragraph: list[str] = []
    for line in _prose_lines(markdown):
        heading, item = _HEADING.match(line), _LIST_ITEM.match(line)
        if paragraph and (heading or item or not line.strip()):
            sections[-1].paragraphs.append(plain_text(" ".join(paragraph)))
            paragraph.clear()
        if heading and len(heading[1]) <= 2:
            sections.append(_Section(plain_text(heading[2]), [], [], []))
        elif heading:
            sections[-1].subheadings.append(plain_text(heading[2]))
        elif item:
            sections[-1].items.append(plain_text(item[1]))
        elif line.strip():
            paragraph.append(line.strip().lstrip("> ").strip())
    if paragraph:
        sections[-1].paragraphs.append(plain_text(" ".join(paragraph)))
    return [s for s in sections if s.heading]


def _prose_lines(markdown: str):
    """The lines that are prose: code blocks go, a table row becomes a blank line."""
    in_code = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_code = not in_code
            yield ""
        elif not in_code:
            yield "" if _TABLE_ROW.match(line) else line


def _bullets(section: _Section) -> list[str]:
    """Sub-headings when there are several, else list items, else first sentences."""
    for source in (section.subheadings, section.items):
        lines = [line for line in source if _spoken(line)]
        if len(lines) >= MIN_BULLETS:
            return lines[:MAX_BULLETS]
    sentences = [first for p in section.paragraphs if (first := _first_sentence(p))]
    if len(sentences) < MIN_BULLETS and section.paragraphs:
        sentences = [s for s in sentences_of(section.paragraphs[0]) if _spoken(s)]
    return sentences[:MAX_BULLETS] if len(sentences) >= MIN_BULLETS else []


def _section_slide(section: _Section) -> Slide:
    bullets = _bullets(section)
    narration = [section.heading.rstrip(_TRAILING_PUNCTUATION) + "。"]
    opening = next((first for p in section.paragraphs if (first := _first_sentence(p))), None)
    if opening and opening not in bullets:
        narration.append(_as_sentence(opening))
    for bullet in bullets:
        sentence = _as_sentence(_first_sentence(bullet) or bullet)
        if narration_chars(narration) + len(sentence) > MAX_SLIDE_NARRATION_CHARS:
            break
        narration.append(sentence)
    return Slide(section.heading, tuple(_short(b) for b in bullets), tuple(narration))


def _first_sentence(text: str) -> str | None:
    return next((s for s in sentences_of(text) if _spoken(s)), None)


def _spoken(text: str) -> bool:
    """Worth saying: some Chinese or words, not a bracketed aside such as a data disclaimer."""
    stripped = text.strip()
    return bool(re.search(r"[\u4e00-\u9fff]{2}|[A-Za-z]{3}", stripped)) and not (
        stripped.startswith(("（", "(")) and stripped.rstrip("。").endswith(("）", ")")))


def _as_sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in "。！？!?" else text.rstrip(_TRAILING_PUNCTUATION) + "。"


def _short(text: str) -> str:
    """At most MAX_BULLET_CHARS: the first clauses that fit, else the start and an ellipsis."""
    if len(text) <= MAX_BULLET_CHARS:
        return text.rstrip("。；;：:")
    kept = ""
    for clause in _BULLET_CLAUSE_END.split(text):
        if len(kept) + len(clause) > MAX_BULLET_CHARS:
            break
        kept += clause
    kept = _balanced(kept).rstrip(_TRAILING_PUNCTUATION)
    if len(kept) >= MAX_BULLET_CHARS // 2:
        return kept
    cut = _balanced(text[:MAX_BULLET_CHARS - 1]).rstrip(_TRAILING_PUNCTUATION)
    if len(cut) >= MAX_BULLET_CHARS // 2:
        return cut + "…"
    # Cut inside a quotation: the ellipsis stays inside it and the quotation is closed.
    cut = text[:MAX_BULLET_CHARS - 2].rstrip(_TRAILING_PUNCTUATION + "、") + "…"
    return cut + "".join(closing for opening, closing in _PAIRS
                         if cut.count(opening) > cut.count(closing))


def _balanced(text: str) -> str:
    """``text`` up to an opening quote or title mark it cut off before its closing one."""
    for opening, closing in _PAIRS:
        if text.count(opening) > text.count(closing):
            text = text[:text.rindex(opening)]
    return text


def split_cue_text(sentence: str, limit: int = MAX_CUE_CHARS) -> list[str]:
    """The sentence in pieces of at most ``limit`` characters, broken after clauses if it can."""
    pieces: list[str] = []
    current = ""
    for clause in (c for c in _CLAUSE_END.split(sentence.strip()) if c):
        if len(current) + len(clause) > limit and current:
            pieces.append(current)
            current = ""
        if len(clause) > limit:
            pieces.extend(_even_pieces(clause, limit))
        else:
            current += clause
    if current:
        pieces.append(current)
    return [piece.strip() for piece in pieces if piece.strip()]


def _even_pieces(clause: str, limit: int) -> list[str]:
    """A clause too long for one cue in even pieces, broken at a space or outside quotes."""
    count = -(-len(clause) // limit)
    pieces, start = [], 0
    for number in range(1, count):
        ideal = round(len(clause) * number / count)
        near = list(_nearby(ideal, start, start + limit))
        cut = next((at for at in near if clause[at - 1] == " "), None) or next(
            (at for at in near if not _inside_quote(clause, at)), ideal)
        pieces.append(clause[start:cut])
        start = cut
    pieces.append(clause[start:])
    if len(pieces[-1]) > limit:  # the nudged cuts left too much: cut the rest evenly
        return pieces[:-1] + _even_pieces_exact(pieces[-1], limit)
    return pieces


def _even_pieces_exact(text: str, limit: int) -> list[str]:
    return [text[at:at + limit] for at in range(0, len(text), limit)]


def _nearby(ideal: int, low: int, high: int):
    """Cut points around ``ideal`` (nearest first), within (low, high]."""
    for distance in range(0, 7):
        for at in (ideal - distance, ideal + distance):
            if low < at <= high:
                yield at


def _inside_quote(text: str, at: int) -> bool:
    before = text[:at]
    return before.count("“") > before.count("”") or before.count("《") > before.count("》") or (
        at < len(text) and text[at] in "”》）)，。、：；")


def subtitle_cues(segments: Sequence[tuple[str, float, float]],
                  limit: int = MAX_CUE_CHARS) -> list[Cue]:
    """Each (sentence, start, end) as cues of at most ``limit`` characters, timed by length."""
    cues = []
    for text, start, end in segments:
        pieces = split_cue_text(text, limit)
        total = sum(len(piece) for piece in pieces) or 1
        at = start
        for index, piece in enumerate(pieces):
            until = end if index == len(pieces) - 1 else at + (end - start) * len(piece) / total
            cues.append(Cue(piece, round(at, 3), round(until, 3)))
            at = until
    return cues


def webvtt(segments: Sequence[tuple[str, float, float]], limit: int = MAX_CUE_CHARS) -> str:
    """A WebVTT file: the header, then one numbered cue per piece of each timed sentence."""
    blocks = ["WEBVTT"]
    for number, cue in enumerate(subtitle_cues(segments, limit), start=1):
        blocks.append(f"{number}\n{vtt_timestamp(cue.start)} --> {vtt_timestamp(cue.end)}\n"
                      f"{cue.text}")
    return "\n\n".join(blocks) + "\n"


def vtt_timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"
