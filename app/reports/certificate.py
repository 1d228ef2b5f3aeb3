"""The certificate PDF (A4 landscape): plain data in, bytes out."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CertificateDocument:
    """Everything printed on a certificate; the service fills it from the Certificate row."""

    serial: str  # DCA-2026-000001
    issuer: str  # e.g. 中共重庆市委党校 · 重庆市大数据应用发展管理局 (config CERT_ISSUER)
    holder_name: str
    unit_name: str
    title: str  # the course title, or the tier certificate's name (数字素养基础 …)
    kind: str  # "course" or "tier"
    hours: str  # credit hours, formatted ("4.0")
    score: str | None  # course: e.g. "92.5" (percent) or None
    level: str | None  # tier: e.g. "基础" or None
    issued_on: date  # local date of issue (Asia/Shanghai)
    verify_url: str  # the full verification URL with the code: the QR payload
    revoked: bool = False  # a revoked certificate still downloads, stamped 已撤销


def render_certificate_pdf(document: CertificateDocument) -> bytes:
    raise NotImplementedError("being built: see the certificates issue")
