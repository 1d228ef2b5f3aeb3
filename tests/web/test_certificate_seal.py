"""Issue #17, finding 19: the issuer's seal on certificates (证书印章).

Admins upload a PNG with transparency, preview it, and remove it; each change is audited;
certificate PDFs draw it as an image with a soft mask (its transparency) and draw no image
without one. Every other role is refused, and every bad image is refused with a message
that names what is wrong, storing nothing.
"""

import io
import random

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.domain.vocabulary import RoleName
from app.extensions import db
from app.models import CertificateSeal
from tests.factories import audit_events, make_certificate, make_user, seal_image
from tests.reports.pdfs import read_pdf

URL = "/admin/certificate-seal/"
PAGES = (URL, URL + "seal.png", URL + "sample.pdf")


def _upload(client, data: bytes, filename="seal.png"):
    return client.post(URL, data={"image": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def _seals() -> int:
    return db.session.scalar(select(func.count()).select_from(CertificateSeal))


def _images(pdf: bytes) -> list:
    """The image XObjects of the PDF's first page."""
    resources = read_pdf(pdf).pages[0]["/Resources"]
    objects = [item.get_object() for item in (resources.get("/XObject") or {}).values()]
    return [item for item in objects if item.get("/Subtype") == "/Image"]


def _png(mode: str, size=(400, 400), color=0) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def _noise_png() -> bytes:
    """A valid PNG with transparency larger than 1 MiB (noise does not compress)."""
    size = (700, 700)
    pixels = random.Random(19).randbytes(size[0] * size[1] * 4)
    buffer = io.BytesIO()
    Image.frombytes("RGBA", size, pixels).save(buffer, format="PNG")
    assert buffer.tell() > 1024 * 1024
    return buffer.getvalue()


@pytest.mark.parametrize("role", [RoleName.CADRE, RoleName.TRAINER, RoleName.HR],
                         ids=lambda role: role.value)
def test_finding_19_only_admins_see_upload_or_remove_the_seal(client, login_as, role):
    login_as(role)
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    assert _upload(client, seal_image()).status_code == 403
    assert client.post(URL + "remove").status_code == 403
    assert _seals() == 0 and audit_events("certificate.seal_uploaded") == []
    assert 'id="nav-seal"' not in client.get("/").get_data(as_text=True)


def test_finding_19_anonymous_visitors_are_sent_to_sign_in(client):
    responses = [client.get(url) for url in PAGES]
    responses += [_upload(client, seal_image()), client.post(URL + "remove")]
    for response in responses:
        assert response.status_code == 302 and "/auth/login" in response.location
    assert _seals() == 0


def test_finding_19_an_admin_uploads_previews_replaces_and_removes_the_seal(client, login_as):
    admin = login_as(RoleName.ADMIN)
    page = client.get(URL).get_data(as_text=True)
    assert 'id="seal-none"' in page and "尚未上传印章" in page and 'id="nav-seal"' in page

    response = _upload(client, seal_image())
    assert response.status_code == 302 and response.location.endswith(URL)
    page = client.get(URL).get_data(as_text=True)
    assert "印章已上传" in page and 'id="seal-preview"' in page and "400 × 400 像素" in page
    preview = client.get(URL + "seal.png")
    assert preview.mimetype == "image/png"
    assert Image.open(io.BytesIO(preview.data)).mode == "RGBA"
    assert len(_images(client.get(URL + "sample.pdf").data)) == 1  # the specimen shows it

    assert _upload(client, seal_image((300, 240))).status_code == 302  # an oval seal
    assert Image.open(io.BytesIO(client.get(URL + "seal.png").data)).size == (300, 240)
    uploads = audit_events("certificate.seal_uploaded")
    assert [(e.actor_id, e.details["replaced"]) for e in uploads] == [(admin.id, False),
                                                                      (admin.id, True)]
    assert uploads[1].details["width"] == 300 and uploads[1].details["height"] == 240

    response = client.post(URL + "remove")
    assert response.status_code == 302 and _seals() == 0
    assert "印章已删除" in client.get(URL).get_data(as_text=True)
    assert client.get(URL + "seal.png").status_code == 404
    again = client.post(URL + "remove", follow_redirects=True).get_data(as_text=True)
    assert "没有可删除的印章" in again
    assert [e.actor_id for e in audit_events("certificate.seal_removed")] == [admin.id]


def test_finding_19_the_audit_log_names_the_seal_events_in_chinese(client, login_as):
    login_as(RoleName.ADMIN)
    _upload(client, seal_image())
    page = client.get("/admin/audit?action=certificate.seal_uploaded").get_data(as_text=True)
    assert "证书印章已上传" in page and "宽度（像素）" in page and "高度（像素）" in page


def test_finding_19_a_certificate_pdf_carries_the_seal_with_its_transparency(
        client, login_as, tree):
    holder = make_user(unit=tree["jiefangbei"], name="张三明")
    certificate = make_certificate(holder)
    db.session.commit()
    login_as(user=holder)
    url = f"/certificates/{certificate.serial}.pdf"
    assert _images(client.get(url).data) == []  # no seal: drawn as before, no image

    client.post("/auth/logout")
    login_as(RoleName.ADMIN)
    assert _upload(client, seal_image()).status_code == 302
    client.post("/auth/logout")
    login_as(user=holder)
    [image] = _images(client.get(url).data)
    assert (image["/Width"], image["/Height"]) == (400, 400)
    mask = image["/SMask"].get_object()  # the alpha channel: the date shows through
    assert mask["/Subtype"] == "/Image" and mask["/ColorSpace"] == "/DeviceGray"


BAD_IMAGES = {
    "not_an_image": (lambda: b"This is a text file, not a picture.\n" * 20, "不是 PNG 图片"),
    "jpeg_renamed_png": (lambda: seal_image(transparent=False, image_format="JPEG"),
                         "该文件是 JPEG 图片，不是 PNG"),
    "png_without_transparency": (lambda: seal_image(transparent=False), "没有透明背景"),
    "png_with_alpha_but_opaque": (lambda: _png("RGBA", color=(255, 255, 255, 255)),
                                  "没有一个透明像素"),
    "too_large": (_noise_png, "文件超过 1 MiB"),
    "too_small": (lambda: seal_image((60, 60)), "图片为 60 × 60 像素：印章每边至少需要 100 像素"),
    "too_many_pixels": (lambda: seal_image((2400, 2400)), "每边最多 2000 像素"),
    "not_square": (lambda: seal_image((600, 200)), "应大致为正方形"),
    "truncated_png": (lambda: seal_image()[:300], "无法读取该 PNG 图片"),
}


@pytest.mark.parametrize("case", BAD_IMAGES)
def test_finding_19_a_bad_image_is_refused_with_a_clear_message_and_nothing_stored(
        client, login_as, case):
    login_as(RoleName.ADMIN)
    make_data, message = BAD_IMAGES[case]
    response = _upload(client, make_data())
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page, page[page.find("invalid"):][:400]
    assert 'id="seal-none"' in page
    assert _seals() == 0 and audit_events("certificate.seal_uploaded") == []


def test_finding_19_an_upload_without_a_file_asks_for_one(client, login_as):
    login_as(RoleName.ADMIN)
    response = client.post(URL, data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "请选择印章的 PNG 图片" in response.get_data(as_text=True)
    assert _seals() == 0
