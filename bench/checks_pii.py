"""Benchmark of the personal-data engine (P1–P5) and attachment text extraction (T6); prints one JSON object.

Run: ``.venv/bin/python bench/checks_pii.py``.  Measures the median time of the personal_data engine on a
5 KB (UTF-8) government article with a few numbers in it, its throughput in characters per second, the
median HTML-to-text time of the same article as a page, and the time to extract and check a 50-page text
PDF (built with fpdf2, CJK text when the Noto CJK font is installed).  Targets from issue 6: all engines
≤ 5 ms on a 5 KB article, a 50-page text PDF ≤ 2 s.  Nothing here asserts; it reports.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fpdf import FPDF

from govsite.checks.attachments import check_attachment, extract
from govsite.checks.engine import CheckContext, engines
from govsite.checks.text import html_to_text

CJK_FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
ARTICLE_BYTES = 5 * 1024
PARAGRAPHS = [
    "为深入贯彻落实《国务院办公厅关于印发2018年政务公开工作要点的通知》（国办发〔2018〕23号）精神，"
    "进一步做好政府信息公开工作，现将有关事项通知如下。",
    "一、加强组织领导。各乡镇人民政府、县直各部门要高度重视，明确分管领导和具体承办人员，"
    "于2025年6月30日前将联系人名单报县政府办公室，联系电话：0591-87654321。",
    "二、规范公开内容。涉及个人信息的公示材料应当依法脱敏，身份证号仅保留前2位和后3位，"
    "如35*************123，手机号码仅保留前3位和后4位，如138****1234。",
    "三、强化监督检查。县政府办公室将不定期开展检查，检查结果纳入年度绩效考核，"
    "索引号：000014349/2025-00110，统一社会信用代码：11350100003591037R。",
    "四、其他事项。本通知自印发之日起施行，由县政府办公室负责解释。咨询电话13800138000（工作日9:00—17:00）。",
]


def article() -> str:
    text = ""
    index = 0
    while len(text.encode("utf-8")) < ARTICLE_BYTES:
        text += PARAGRAPHS[index % len(PARAGRAPHS)] + "\n"
        index += 1
    return text


def median_ms(function: Callable[[], object], runs: int) -> float:
    function()  # warm-up: compiled regexes, imports
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def fifty_page_pdf() -> bytes:
    pdf = FPDF()
    cjk = CJK_FONT.exists()
    if cjk:
        pdf.add_font("noto", fname=str(CJK_FONT))
        pdf.set_font("noto", size=10)
    else:
        pdf.set_font("Helvetica", size=10)
    line = (
        "第{p}页第{n}行：关于做好政务公开工作的通知，联系电话0591-87654321。"
        if cjk
        else "Page {p} line {n}: notice"
    )
    for page in range(1, 51):
        pdf.add_page()
        for number in range(1, 41):
            pdf.cell(0, 6, line.format(p=page, n=number), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def main() -> None:
    context = CheckContext(on=date(2025, 6, 1))
    (engine,) = engines(["personal_data"])
    text = article()
    html = "".join(f"<p>{paragraph}</p>" for paragraph in text.splitlines())
    engine_ms = median_ms(lambda: engine.scan(text, context), runs=200)
    html_ms = median_ms(lambda: html_to_text(html), runs=200)
    pdf = fifty_page_pdf()
    extract_ms = median_ms(lambda: extract(pdf, "bench.pdf"), runs=3)
    check_ms = median_ms(
        lambda: check_attachment(pdf, context, name="bench.pdf", engine_names=["personal_data"]), runs=3
    )
    pdf_chars = sum(len(segment.text) for segment in extract(pdf, "bench.pdf").segments)
    result = {
        "article_chars": len(text),
        "article_bytes": len(text.encode("utf-8")),
        "article_findings": len(engine.scan(text, context)),
        "personal_data_median_ms": round(engine_ms, 3),
        "personal_data_chars_per_s": round(len(text) / (engine_ms / 1000)),
        "html_to_text_median_ms": round(html_ms, 3),
        "pdf_pages": 50,
        "pdf_chars": pdf_chars,
        "pdf_cjk_font": CJK_FONT.exists(),
        "pdf_extract_median_ms": round(extract_ms, 1),
        "pdf_extract_and_check_median_ms": round(check_ms, 1),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
