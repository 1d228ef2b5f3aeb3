"""HR drills from the city to a street, downloads its summary PDF, a cadre's record PDF,
and builds the street's batch of records in the background with a progress bar."""

import io

import pytest
from pypdf import PdfReader

from tests.e2e.signing import sign_in

pytestmark = pytest.mark.e2e


def _download(page, trigger) -> tuple[str, bytes]:
    with page.expect_download() as info:
        trigger()
    download = info.value
    with open(download.path(), "rb") as handle:
        return download.suggested_filename, handle.read()


def _text(pdf: bytes) -> str:
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_hr_downloads_the_documents_of_a_street(page):
    sign_in(page, "hr")
    page.goto("/hr/dashboard/")
    page.locator("#dashboard-units").get_by_role("link", name="渝中区").click()
    page.locator("#dashboard-units").get_by_role("link", name="解放碑街道").first.click()
    page.wait_for_load_state()
    assert "解放碑街道" in page.locator("h1").inner_text()

    name, pdf = _download(page, lambda: page.locator("#export-summary-pdf").click())
    assert name.startswith("解放碑街道-") and name.endswith("年培训汇总.pdf")  # RFC 6266 filename*
    text = _text(pdf)
    assert "解放碑街道" in text and "第1页/共" in text and "内部资料" in text

    page.locator("#all-cadres").click()
    cadre = page.locator("table a[href*='/records/']").first
    cadre_name = cadre.inner_text().strip()
    cadre.click()
    name, pdf = _download(page, lambda: page.locator("#record-pdf").click())
    assert name.startswith(f"{cadre_name}-") and name.endswith("年干部培训档案.pdf")
    assert cadre_name in _text(pdf)

    page.goto("/hr/reports/")
    page.locator("#batch-form input[name=unit]").fill("500103001")
    page.locator("#batch-form button[type=submit]").click()
    page.wait_for_url("**/hr/reports/jobs/**")
    page.locator("#job-download").wait_for(state="visible", timeout=60000)
    assert page.locator("#job-bar").inner_text() == "100%"
    name, pdf = _download(page, lambda: page.locator("#job-download").click())
    outline = [item.title for item in PdfReader(io.BytesIO(pdf)).outline]
    assert any(title.startswith(cadre_name) for title in outline)
