"""The certificate PDF (A4 landscape): plain data in, bytes out.

Drawn on one canvas: a double red border with a gold inner frame and corner ornaments, the
heading, the holder's sentence (a Paragraph, so long names wrap), the issuing body and the
date at the bottom right (the issuer's seal stamped over them when one is uploaded), the
QR code of the verification URL with the serial at the bottom
left, and a diagonal 已撤销 stamp on a revoked certificate.
"""

import io
from dataclasses import dataclass
from datetime import date

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from app.reports.certificate_frame import draw_border, draw_ornament_rule, draw_revoked_stamp
from app.reports.palette import ACCENT, GOLD, INK, MUTED
from app.reports.theme import FontChoice, drawable_text, escape_markup, fit_text, register_cjk_font

PAGE = landscape(A4)
QR_SIZE = 86
SEAL_SIZE = 120  # points (42 mm, the diameter of an official seal)
SIGNATURE_CENTRE = PAGE[0] - 220
DATE_Y = 92
BODY_LEFT, BODY_RIGHT = 118, PAGE[0] - 118
BODY_TOP, BODY_BOTTOM = PAGE[1] - 195, 200  # the sentence stays clear of the signature and QR


@dataclass(frozen=True)
class CertificateDocument:
    """Everything printed on a certificate; the service fills it from the Certificate row."""

    serial: str  # DCA-2026-000001
    issuer: str  # e.g. 中共重庆市委党校 · 重庆市大数据应用发展管理局 (config CERT_ISSUER)
    holder_name: str
    unit_name: str
    title: str  # the course title, the tier certificate's name (数字素养基础 …) or the class's
    kind: str  # "course", "tier" or "class" (a training class's 结业证书)
    hours: str  # credit hours, formatted ("4.0")
    score: str | None  # course: e.g. "92.5" (percent) or None
    level: str | None  # tier: e.g. "基础" or None
    issued_on: date  # local date of issue (Asia/Shanghai)
    verify_url: str  # the full verification URL with the code: the QR payload
    revoked: bool = False  # a revoked certificate still downloads, stamped 已撤销
    code: str = ""  # the verification code, printed for typing into /verify by hand
    seal: bytes | None = None  # the issuer's seal, an RGBA PNG (app.domain.certificate_seal)
    organizer: str | None = None  # class: who ran it (e.g. 中共重庆市委党校)
    starts_on: date | None = None  # class: its first day
    ends_on: date | None = None  # class: its last day


def render_certificate_pdf(document: CertificateDocument, *, font_path: str = "") -> bytes:
    """The certificate as PDF bytes; ``font_path`` is the configured ``CJK_FONT_PATH``."""
    font = register_cjk_font(font_path)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE)
    canvas.setTitle(f"结业证书 {document.serial}")
    canvas.setAuthor(drawable_text(document.issuer, font))
    canvas.setSubject(drawable_text(document.title, font))
    draw_border(canvas, PAGE)
    _draw_heading(canvas, font)
    _draw_body(canvas, document, font)
    _draw_signature(canvas, document, font)
    _draw_verification(canvas, document, font)
    if document.revoked:
        draw_revoked_stamp(canvas, PAGE, font.name)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_date_range(first: date, last: date) -> str:
    """2026年11月2日至6日, 2026年11月30日至12月2日, 2026年12月30日至2027年1月2日."""
    if first == last:
        return chinese_date(first)
    if first.year != last.year:
        return f"{chinese_date(first)}至{chinese_date(last)}"
    end = f"{last.day}日" if first.month == last.month else f"{last.month}月{last.day}日"
    return f"{chinese_date(first)}至{end}"


def certificate_sentence(document: CertificateDocument, font: FontChoice) -> str:
    """The body as Paragraph markup, every user-supplied part escaped."""
    name = escape_markup(document.holder_name, font)
    unit = escape_markup(document.unit_name, font)
    title = escape_markup(document.title, font)
    hours = escape_markup(document.hours, font)
    when = chinese_date(document.issued_on)
    if document.kind == "class":
        return f'<font size="+5">{name}</font>（{unit}）{class_achievement(document, font)}'
    if document.kind == "tier":
        stage = title if title.endswith("阶段") else f"{title}阶段"
        achievement = f"完成{stage}全部核心课程学习，获得 {hours} 学时"
    else:
        achievement = f"完成《{title}》课程学习，获得 {hours} 学时"
        if document.score:
            achievement += f"，考核成绩 {escape_markup(document.score, font)} 分"
    return f'<font size="+5">{name}</font>（{unit}）于{when}{achievement}，特发此证。'


def class_achievement(document: CertificateDocument, font: FontChoice) -> str:
    """于（dates）参加（organizer）举办的《class》学习, the requirements met, the hours."""
    first = document.starts_on or document.issued_on
    when = chinese_date_range(first, document.ends_on or first)
    organizer = escape_markup(document.organizer or "", font)
    held_by = f"参加{organizer}举办的" if organizer else "参加"
    return (f"于{when}{held_by}《{escape_markup(document.title, font)}》学习，完成规定学习任务，"
            f"获得 {escape_markup(document.hours, font)} 学时，准予结业，特发此证。")


def certificate_qr_widget(document: CertificateDocument) -> QrCodeWidget:
    """The QR code of the verification URL (error correction M survives a worn print)."""
    return QrCodeWidget(document.verify_url, barLevel="M", barBorder=2)


def certificate_qr_drawing(document: CertificateDocument, size: float = QR_SIZE) -> Drawing:
    widget = certificate_qr_widget(document)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0,
                                             size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def _draw_heading(canvas: Canvas, font: FontChoice) -> None:
    width, height = PAGE
    heading, size, spacing = "结业证书", 46, 18
    canvas.saveState()
    canvas.setLineWidth(0.9)
    text = canvas.beginText()
    text.setFont(font.bold, size)
    text.setCharSpace(spacing)
    text.setFillColor(ACCENT)
    text.setStrokeColor(ACCENT)
    text.setTextRenderMode(2)  # fill and stroke: a heavier heading from a font with no bold
    heading_width = canvas.stringWidth(heading, font.bold, size) + spacing * (len(heading) - 1)
    text.setTextOrigin((width - heading_width) / 2, height - 128)
    text.textOut(heading)
    text.setCharSpace(0)  # the text state outlives this text object: put it back
    text.setTextRenderMode(0)
    canvas.drawText(text)
    canvas.restoreState()
    draw_ornament_rule(canvas, width / 2, height - 150, 250)
    canvas.setFillColor(GOLD)
    canvas.setFont(font.name, 9.5)
    canvas.drawCentredString(width / 2, height - 170, "CERTIFICATE  OF  COMPLETION")


def _draw_body(canvas: Canvas, document: CertificateDocument, font: FontChoice) -> None:
    """The sentence, as large as fits between the heading and the signature, centred there."""
    markup = certificate_sentence(document, font)
    width = BODY_RIGHT - BODY_LEFT
    for size in (20, 18, 16, 14, 12, 10, 8):
        style = ParagraphStyle("certificate-body", fontName=font.name, fontSize=size,
                               leading=size * 2, firstLineIndent=size * 2, textColor=INK,
                               alignment=TA_JUSTIFY, wordWrap="CJK")
        paragraph = Paragraph(markup, style)
        _, height = paragraph.wrap(width, BODY_TOP - BODY_BOTTOM)
        if height <= BODY_TOP - BODY_BOTTOM:
            break
    middle = (BODY_TOP + BODY_BOTTOM) / 2 + 12  # a little high: optical centre
    paragraph.drawOn(canvas, BODY_LEFT, min(BODY_TOP, middle + height / 2) - height)


def _draw_signature(canvas: Canvas, document: CertificateDocument, font: FontChoice) -> None:
    """The issuing bodies, one per line, and the date under them, at the bottom right."""
    bodies = [part.strip() for part in drawable_text(document.issuer, font).split("·")]
    bodies = [body for body in bodies if body][:3]
    canvas.setFillColor(INK)
    canvas.setFont(font.name, 15)
    y = 100 + 26 * len(bodies)
    for body in bodies:
        canvas.drawCentredString(SIGNATURE_CENTRE, y,
                                 fit_text(body, font.name, 15, 320))
        y -= 26
    canvas.setFont(font.name, 14)
    canvas.drawCentredString(SIGNATURE_CENTRE, DATE_Y, chinese_date(document.issued_on))
    if document.seal:
        _draw_seal(canvas, document.seal)


def _draw_seal(canvas: Canvas, png: bytes) -> None:
    """The seal stamped as on paper: over the last issuing body, its lower part on the date.
    Drawn after the text and through the PNG's own transparency (a soft mask in the PDF),
    so the words show between the strokes of the seal."""
    middle = DATE_Y + 28  # between the date and the last issuing body's line
    canvas.drawImage(ImageReader(io.BytesIO(png)), SIGNATURE_CENTRE - SEAL_SIZE / 2,
                     middle - SEAL_SIZE / 2, SEAL_SIZE, SEAL_SIZE, mask="auto",
                     preserveAspectRatio=True, anchor="c")


def _draw_verification(canvas: Canvas, document: CertificateDocument, font: FontChoice) -> None:
    """The QR code with 扫码验证 under it, the serial and the verification code beside it (for
    someone who types them into the verification page), at the bottom left."""
    left, bottom = 108, 92  # clear of the corner ornament
    renderPDF.draw(certificate_qr_drawing(document), canvas, left, bottom)
    canvas.setFillColor(MUTED)
    canvas.setFont(font.name, 9.5)
    canvas.drawCentredString(left + QR_SIZE / 2, bottom - 13, "扫码验证")
    canvas.setFillColor(INK)
    canvas.setFont(font.name, 11)
    serial = fit_text(drawable_text(document.serial, font), font.name, 11, 220)
    canvas.drawString(left + QR_SIZE + 12, bottom + 20 if document.code else bottom + 4,
                      f"证书编号：{serial}")
    if document.code:
        grouped = " ".join(document.code[i:i + 4] for i in range(0, len(document.code), 4))
        canvas.drawString(left + QR_SIZE + 12, bottom + 4,
                          f"核验码：{drawable_text(grouped, font)}")
