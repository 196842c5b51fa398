"""`make report`: the audit report a person reads, written beside the warehouse.

One HTML page per document (its findings by severity, each with its message, the two sides,
the sentence quoted for a narrative finding, and — for a PDF — the page cropped around the
finding's cells with the cells outlined) and an index of every document with its counts by
severity. Everything is in the files: images are embedded as data URIs, the CSS names the
local CJK fonts and no page loads anything from the network, so the report opens offline.

Pages are rendered with pypdfium2 (already the ingest's dependency); a cell's box is the one
the ingest landed (PDF points from the page's top-left, as pdfplumber measures).
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

SEVERITIES = ("fatal", "warning", "info")
SEVERITY_ZH = {"fatal": "严重", "warning": "警告", "info": "提示（尾数误差以内）"}
SCALE = 2.0  # rendering pixels per PDF point
MARGIN = 36.0  # points around the finding's cells in a crop

CSS = """
body { font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
       "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.3em 0.6em; }
.finding { border-left: 4px solid #999; padding: 0.4em 0.8em; margin: 0.8em 0; }
.fatal { border-color: #c00; } .warning { border-color: #e80; } .info { border-color: #59c; }
.meta { color: #666; font-size: 0.9em; } .sentence { background: #f6f6f6; padding: 0.3em; }
img.crop { max-width: 100%; border: 1px solid #ddd; margin-top: 0.4em; }
"""


@dataclass
class Finding:
    rule_id: str
    severity: str
    page: int | None
    location: str
    sentence: str | None
    left: str | None
    right: str | None
    message: str
    source_ids: list[str]
    cell_boxes: list[dict[str, Any]] | None
    figure_text: str | None
    suspect_value_id: str | None
    suspect_value: Any


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{CSS}</style></head><body>{body}</body></html>\n")


def crop_image(pdf: Path, page_number: int, boxes: list[tuple[float, float, float, float]],
               suspect: tuple[float, float, float, float] | None = None) -> bytes:
    """PNG of the page cropped around the boxes (x0, top, x1, bottom in points), each box
    outlined in red and the suspect cell filled."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[page_number - 1]
        image = page.render(scale=SCALE).to_pil().convert("RGB")
    finally:
        document.close()
    draw = ImageDraw.Draw(image, "RGBA")
    for x0, top, x1, bottom in boxes:
        draw.rectangle([x0 * SCALE - 2, top * SCALE - 2, x1 * SCALE + 2, bottom * SCALE + 2],
                       outline=(220, 0, 0, 255), width=3)
    if suspect is not None:
        x0, top, x1, bottom = suspect
        draw.rectangle([x0 * SCALE, top * SCALE, x1 * SCALE, bottom * SCALE], fill=(255, 0, 0, 70))
    left = max(0.0, min(b[0] for b in boxes) - MARGIN) * SCALE
    upper = max(0.0, min(b[1] for b in boxes) - MARGIN) * SCALE
    right = min(image.width, (max(b[2] for b in boxes) + MARGIN) * SCALE)
    lower = min(image.height, (max(b[3] for b in boxes) + MARGIN) * SCALE)
    if right - left < 400:  # keep enough of the row for a reader to see what the cell is
        left, right = 0, image.width
    out = io.BytesIO()
    image.crop((int(left), int(upper), int(right), int(lower))).save(out, format="PNG")
    return out.getvalue()


def _boxes(cell_boxes: list[dict[str, Any]] | None, page: int | None) -> dict[str, tuple]:
    """The boxes of the finding's cells on its page (the findings mart lists every cell's box)."""
    if not cell_boxes or page is None:
        return {}
    return {b["source_id"]: (float(b["x0"]), float(b["top"]), float(b["x1"]), float(b["bottom"]))
            for b in cell_boxes if b["page"] == page}


def text_boxes(pdf: Path, page_number: int, sentence: str, figure: str | None) -> list[tuple[float, float, float, float]]:
    """The boxes (points from the page's top-left) of a narrative finding's figure on its page:
    the figure's first occurrence at or after the sentence's start (pdfium's text search)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        page = document[page_number - 1]
        height = page.get_height()
        text = page.get_textpage()

        def occurrences(needle: str) -> list[tuple[int, int]]:
            found, searcher = [], text.search(needle)
            while (hit := searcher.get_next()) is not None:
                found.append(hit)
            return found

        starts = occurrences(sentence[:12]) if len(sentence) >= 6 else []
        start = starts[0][0] if starts else 0
        hits = [h for h in occurrences(figure) if h[0] >= start] if figure else []
        index, count = hits[0] if hits else (starts[0] if starts else (None, 0))
        if index is None:
            return []
        boxes = []
        for i in range(text.count_rects(index, count)):
            left, bottom, right, top = text.get_rect(i)
            boxes.append((left, height - top, right, height - bottom))
        return boxes
    finally:
        document.close()


def _finding_html(f: Finding, pdf: Path | None) -> str:
    parts = [f'<div class="finding {f.severity}" data-rule="{html.escape(f.rule_id)}">',
             f"<div><b>{html.escape(f.message)}</b></div>",
             f'<div class="meta">{html.escape(f.rule_id)} · {SEVERITY_ZH[f.severity]}'
             + (f" · 第 {f.page} 页" if f.page else "") + "</div>"]
    if f.left is not None or f.right is not None:
        parts.append(f'<div class="meta">一方：{html.escape(str(f.left))}；另一方：{html.escape(str(f.right))}</div>')
    if f.sentence:
        parts.append(f'<div class="sentence">“{html.escape(f.sentence)}”</div>')
    boxes = _boxes(f.cell_boxes, f.page)
    if pdf is not None and f.page and not boxes and f.sentence:
        found = text_boxes(pdf, f.page, f.sentence, f.figure_text)
        boxes = {str(i): b for i, b in enumerate(found)}
    if pdf is not None and f.page and boxes:
        suspect = boxes.get(f.suspect_value_id) if f.suspect_value_id else None
        png = crop_image(pdf, f.page, [b for k, b in boxes.items() if k != f.suspect_value_id] or list(boxes.values()), suspect)
        parts.append(f'<img class="crop" alt="第 {f.page} 页" src="data:image/png;base64,{base64.b64encode(png).decode()}">')
    parts.append("</div>")
    return "".join(parts)


def write_report(warehouse: Path, raw: Path | None, out: Path, limit_per_severity: int = 200) -> Path:
    """Write the report of `warehouse` to `out` (index.html and one page per document);
    `raw` is the folder the documents were read from (for page images). Returns the index."""
    out.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        documents = con.execute(
            """select d.document_id, d.issuer_name, d.fiscal_year, d.document_kind, d.document_scope, d.source_file
               from dim_document d order by d.issuer_name, d.fiscal_year, d.document_kind, d.document_scope""").fetchall()
        rows = con.execute(
            """select document_id, rule_id, severity, page_number, location, sentence, left_side, right_side,
                      message_zh, source_value_ids, cell_boxes, figure_text, suspect_value_id, suspect_value
               from findings order by document_id, severity, page_number nulls last, rule_id, location""").fetchall()
        by_document: dict[str, list[Finding]] = defaultdict(list)
        for r in rows:
            by_document[r[0]].append(Finding(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], list(r[9] or []),
                                             r[10], r[11], r[12], r[13]))
        index_rows = []
        for doc_id, issuer, year, kind, scope, source in documents:
            findings = by_document.get(doc_id, [])
            counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
            pdf = (raw / source) if raw is not None and source.lower().endswith(".pdf") and (raw / source).exists() else None
            title = f"{issuer or '（未识别）'} {year or ''} {kind or ''} {scope or ''}"
            body = [f"<h1>{html.escape(title)}</h1>", f'<p class="meta">{html.escape(source)} · <a href="index.html">全部文件</a></p>']
            for severity in SEVERITIES:
                of = [f for f in findings if f.severity == severity]
                body.append(f"<h2>{SEVERITY_ZH[severity]}（{len(of)}）</h2>")
                body += [_finding_html(f, pdf) for f in of[:limit_per_severity]]
                if len(of) > limit_per_severity:
                    body.append(f"<p>……另有 {len(of) - limit_per_severity} 项</p>")
            name = f"{doc_id}.html"
            (out / name).write_text(_page(title, "".join(body)), encoding="utf-8")
            index_rows.append(
                f'<tr><td><a href="{name}">{html.escape(title)}</a></td><td>{html.escape(source)}</td>'
                + "".join(f"<td>{counts[s]}</td>" for s in SEVERITIES) + "</tr>")
    index = out / "index.html"
    header = "".join(f"<th>{SEVERITY_ZH[s]}</th>" for s in SEVERITIES)
    index.write_text(_page("检查报告", f"<h1>检查报告</h1><table><tr><th>文件</th><th>来源</th>{header}</tr>"
                                   + "".join(index_rows) + "</table>"), encoding="utf-8")
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--raw", type=Path, default=None, help="the folder the documents were read from (page images)")
    parser.add_argument("--out", type=Path, default=None, help="default: <warehouse name>.report beside it")
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"error: no warehouse at {args.warehouse} (run make build first)", file=sys.stderr)
        return 2
    out = args.out or args.warehouse.with_name(args.warehouse.stem + ".report")
    index = write_report(args.warehouse, args.raw, out)
    print(f"report: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
