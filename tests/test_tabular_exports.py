"""CSV and XLSX files keep user text as text, never as formulas."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from workplan.exports.tabular import Sheet, csv_bytes, xlsx_bytes

DANGEROUS = ['=HYPERLINK("http://x","y")', "+1+2", "-3", "@SUM(A1)", "\tcmd"]


def test_csv_neutralises_formulas_and_keeps_text():
    data = csv_bytes(["code", "narrative"], [["S1", text] for text in DANGEROUS] + [["S2", "ok"]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["code", "narrative"]
    assert [r[1] for r in rows[1:-1]] == ["'" + t for t in DANGEROUS]
    assert rows[-1] == ["S2", "ok"]


def test_csv_writes_dates_and_booleans_plainly():
    data = csv_bytes(
        ["d", "t", "b", "n"],
        [[date(2012, 12, 14), datetime(2013, 1, 2, 3, 4, tzinfo=UTC), True, None]],
    )
    assert data.decode("utf-8-sig").splitlines()[1] == "2012-12-14,2013-01-02 03:04 UTC,yes,"


def test_xlsx_stores_formula_like_text_as_strings():
    data = xlsx_bytes(
        [
            Sheet("Updates", ["code", "narrative", "progress"], [["S1", t, 10] for t in DANGEROUS]),
            Sheet("A very long sheet title that exceeds the limit", ["x"], [[1]]),
        ]
    )
    workbook = load_workbook(io.BytesIO(data))
    ws = workbook["Updates"]
    assert [c.value for c in ws[1]] == ["code", "narrative", "progress"]
    assert ws.freeze_panes == "A2"
    for row, text in zip(ws.iter_rows(min_row=2), DANGEROUS, strict=True):
        assert row[1].value == text
        assert row[1].data_type == "s"
        assert row[2].value == 10
    assert workbook.sheetnames[1] == "A very long sheet title that ex"
