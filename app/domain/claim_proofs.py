"""What a proof of training done elsewhere may be (学时认定): a PDF or a JPEG, PNG or WebP
image, recognized by its content, never by its name or the type the browser sent.

Checked in this order, each refusal naming one problem: the size; the first bytes (a
renamed program or web page is named for what it is); then the file really parses: a PDF
ends with its end-of-file marker (a truncated download does not), opens in pypdf with at
least one page and no password; an image's header is read first (a huge picture is refused
before anything is decoded) and then every pixel is decoded (a truncated image fails). The
file is stored as it came: HR sees the proof the cadre sent.
"""

import io
import warnings
from dataclasses import dataclass

from PIL import Image
from pypdf import PdfReader

#: More pixels than a 48-megapixel phone photo need not be decoded to judge a proof.
MAX_PROOF_PIXELS = 50_000_000
#: A PDF's "%%EOF" must sit within this many bytes of the end (writers add a little after).
PDF_TAIL_BYTES = 2048
#: How far into a text file to look for a web page's tags.
TEXT_SNIFF_BYTES = 1024

CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png",
                 "webp": "image/webp"}
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "webp": "webp"}
_PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
#: Files that are not proofs, by their first bytes: what the refusal calls them.
_OTHER_SIGNATURES = (
    (b"MZ", "program"), (b"\x7fELF", "program"), (b"\xca\xfe\xba\xbe", "program"),
    (b"\xcf\xfa\xed\xfe", "program"), (b"PK\x03\x04", "archive"), (b"Rar!", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"), (b"\x1f\x8b", "archive"),
    (b"\xd0\xcf\x11\xe0", "office"), (b"GIF8", "other_image"), (b"BM", "other_image"),
    (b"II*\x00", "other_image"), (b"MM\x00*", "other_image"),
)
_WEB_PAGE_MARKS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe",
                   b"<svg", b"<?xml")


class ProofRefused(ValueError):
    """Why a file cannot be a proof: ``reason`` is one of empty, too_large, program,
    archive, office, other_image, web_page, unknown, unreadable, encrypted, too_many_pixels;
    ``detail`` names the format or figure the message shows."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class CheckedProof:
    kind: str  # pdf, jpeg, png, webp

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.kind]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.kind]


def check_proof(data: bytes, *, max_bytes: int) -> CheckedProof:
    """The proof's kind, or ProofRefused naming the first problem found."""
    if not data:
        raise ProofRefused("empty")
    if len(data) > max_bytes:
        raise ProofRefused("too_large", str(len(data)))
    kind = proof_kind(data)
    if kind is None:
        raise ProofRefused(*_what_else(data))
    if kind == "pdf":
        _check_pdf(data)
    else:
        _check_image(data, kind)
    return CheckedProof(kind)


def proof_kind(data: bytes) -> str | None:
    """pdf, jpeg, png or webp by the file's signature; None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def _what_else(data: bytes) -> tuple[str, str]:
    for signature, reason in _OTHER_SIGNATURES:
        if data.startswith(signature):
            return reason, ""
    if data[4:8] == b"ftyp":  # ISO media: HEIC photos, MP4 videos
        return "other_image", data[8:12].decode("ascii", "replace").strip()
    head = data[:TEXT_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(mark in head for mark in _WEB_PAGE_MARKS):
        return "web_page", ""
    return "unknown", ""


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-PDF_TAIL_BYTES:]:
        raise ProofRefused("unreadable", "PDF")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise ProofRefused("encrypted")
            pages = len(reader.pages)
            if pages:
                reader.pages[0].mediabox  # noqa: B018 - reading the first page parses it
    except ProofRefused:
        raise
    except Exception as error:  # any failure of the parser on a foreign file: not readable
        raise ProofRefused("unreadable", "PDF") from error
    if pages == 0:
        raise ProofRefused("unreadable", "PDF")


def _check_image(data: bytes, kind: str) -> None:
    name = _PILLOW_FORMATS[kind]
    try:
        with Image.open(io.BytesIO(data), formats=[name]) as image:
            width, height = image.size
            if width * height > MAX_PROOF_PIXELS:
                raise ProofRefused("too_many_pixels", f"{width} × {height}")
            if kind == "jpeg":
                # Decoded at an eighth of the size: every byte is still read (a truncated
                # file fails), with an eighth of the memory a phone photo would take.
                image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))
            image.load()
    except ProofRefused:
        raise
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError) as error:
        raise ProofRefused("unreadable", name) from error
