"""The validation report as one self-contained HTML page: styles inline, no script, no font,
nothing fetched. Great Expectations' own Data Docs load their styling and scripts from CDNs,
so on an offline machine (many government networks are) they show an empty, unstyled index;
this page is what the build points to (DECISIONLOG.md)."""

from __future__ import annotations

import html
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

STYLE = """
body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif;
       margin: 0; color: #1b1b1b; background: #f6f7f9; }
header { background: #1f4e79; color: #ffffff; padding: 16px 24px; }
header h1 { margin: 0; font-size: 20px; }
main { padding: 16px 24px; }
section { background: #ffffff; border: 1px solid #d0d7de; border-radius: 6px; margin: 0 0 16px 0;
          padding: 12px 16px; }
h2 { font-size: 16px; margin: 4px 0 8px 0; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #e8eef5; }
.passed { color: #116329; font-weight: bold; }
.failed { color: #cf222e; font-weight: bold; }
.findings { color: #9a6700; font-weight: bold; }
code { font-size: 12px; white-space: pre-wrap; word-break: break-all; }
"""


def render(results: list[Any], warehouse: Path, reporting: frozenset[str] = frozenset()) -> str:
    """The page for a list of suite results (expectations.suites.SuiteResult). Suites named in
    `reporting` list findings about the publications: they are shown, and counted apart from
    the suites that check the pipeline."""
    checks = [r for r in results if r.suite not in reporting]
    passed = sum(1 for r in checks if r.success)
    reported = sum(len(r.failures) for r in results if r.suite in reporting)
    findings = f" · {reported} rules with findings" if reported else ""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        "<title>数据检验报告 / validation report</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<header><h1>数据检验报告 / validation report</h1>"
        f"<div>{html.escape(str(warehouse))} · {stamp} · "
        f'<span id="verdict">{passed}/{len(checks)} suites passed</span>{findings}</div></header>',
        "<main>",
    ]
    for r in results:
        state = "passed" if r.success else ("findings" if r.suite in reporting else "failed")
        parts.append(f'<section class="suite" id="suite-{html.escape(r.suite)}">')
        parts.append(f'<h2>{html.escape(r.suite)} <span class="{state}">{state}</span> '
                     f"({r.evaluated - len(r.failures)}/{r.evaluated})</h2>")
        parts.append("<table><tr><th>expectation 检验</th><th>column 列</th><th>result 结果</th>"
                     "<th>observed 观测</th></tr>")
        for e in r.expectations:
            state = "passed" if e["success"] else "failed"
            parts.append(
                f"<tr><td>{html.escape(e['expectation'])}</td><td>{html.escape(str(e.get('column') or ''))}</td>"
                f'<td class="{state}">{state}</td><td><code>{html.escape(_observed(e))}</code></td></tr>'
            )
        parts.append("</table></section>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _observed(expectation: dict[str, Any]) -> str:
    detail = expectation.get("detail")
    return detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, default=str)


def write(results: list[Any], warehouse: Path, path: Path, reporting: frozenset[str] = frozenset()) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(results, warehouse, reporting), encoding="utf-8")
    return path
