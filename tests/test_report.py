"""`make report`: an offline HTML page per document with its findings by severity and the page
cropped around each finding's cells, opened in headless Chromium."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from PIL import Image

from tests.conftest import REPO


@pytest.fixture(scope="module")
def report(planted_build):
    raw, warehouse = planted_build
    result = subprocess.run(["make", "report", f"WAREHOUSE={warehouse}", f"RAW={raw}"], cwd=REPO,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return warehouse.with_name("warehouse.report")


def _pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    flat = getattr(image, "get_flattened_data", None)  # Pillow ≥ 12.1; getdata is deprecated there
    return list(flat() if flat else image.getdata())


def _document_page(report):
    pages = [p for p in report.glob("*.html") if p.name != "index.html"]
    assert len(pages) == 1
    return pages[0]


def test_the_index_counts_findings_by_severity_and_links_each_document(report):
    index = (report / "index.html").read_text("utf-8")
    page = _document_page(report)
    assert f'href="{page.name}"' in index
    # 岚县 planted: one fatal (公开10表 missing), seven warnings, one within rounding
    assert re.search(r"<td>1</td><td>7</td><td>1</td>", index), index


def test_a_document_page_works_offline_and_shows_each_finding_on_its_page(report):
    text = _document_page(report).read_text("utf-8")
    assert "缺少必须公开的表：部门决算相关信息统计表（公开10表）" in text
    assert text.count('class="finding') == 9
    # nothing is fetched: no remote or file reference, every image is in the page
    assert not re.search(r'(src|href)="(?!data:|#|index\.html|[0-9a-f]+\.html)', text)
    assert "http://" not in text and "https://" not in text
    images = re.findall(r'data:image/png;base64,([A-Za-z0-9+/=]+)', text)
    assert len(images) >= 6  # each finding with a page shows its crop
    # the sentence of a narrative finding is quoted and its figure outlined in red
    assert "“XX局2024年度一般公共预算财政拨款支出392.51万元" in text
    crop = Image.open(BytesIO(base64.b64decode(images[0]))).convert("RGB")
    assert any(r > 200 and g < 40 and b < 40 for r, g, b in _pixels(crop))


def test_chromium_renders_the_page_with_its_chinese_text_and_highlights(report, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("Debian's chromium is not installed (make browser installs it)")
    page = _document_page(report)
    shot = tmp_path / "shot.png"
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--hide-scrollbars", "--window-size=1400,2400", f"--screenshot={shot}", page.as_uri()]
    subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert shot.exists(), "chromium wrote no screenshot"
    image = Image.open(shot).convert("RGB")
    pixels = _pixels(image)
    # the outlines around the cells and figures
    assert sum(1 for r, g, b in pixels if r > 200 and g < 40 and b < 40) > 50
    # the Chinese text is drawn with a CJK font: the DOM holds it and fontconfig has a CJK face
    dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120, check=False).stdout
    assert "缺少必须公开的表" in dom
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False).stdout
    assert fonts.strip(), "no CJK font installed: Chinese would render as boxes"
