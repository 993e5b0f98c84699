"""Exports of the current view: CSV and XLSX with the page's numbers, formula-safe, filtered,
and without anything the viewer may not read."""

from __future__ import annotations

import csv
import html
import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.fixtures_dashboard import (
    FORMULA_NARRATIVE,
    SECRET_BLOCKER,
    SECRET_NARRATIVE,
    table_rows,
)


def _csv(client, url: str) -> list[dict[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _xlsx(client, url: str):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return response.get_data()


def test_csv_has_one_line_per_share_and_keeps_formulas_as_text(client, users, world, act_as):
    act_as(users.coordinator)
    rows = _csv(client, "/dashboard/export.csv")
    assert len(rows) == 276
    achpr = next(r for r in rows if r["Recommendation"] == "S4" and r["Organisation"] == "ACHPR")
    assert achpr["Status"] == "Completed" and achpr["Lead"] == "yes"
    assert achpr["Open blockers"] == "1"
    # A narrative starting with "=" is prefixed so that spreadsheet programs show it as text.
    assert achpr["Latest narrative"] == "'" + FORMULA_NARRATIVE
    assert achpr["Recommendation status"] == "In progress"
    assert achpr["Recommendation progress (%)"] == "21"
    coe = next(r for r in rows if r["Recommendation"] == "S4" and r["Organisation"] == "CoE")
    assert coe["Latest narrative"] == SECRET_NARRATIVE  # the coordinator may read it


def test_xlsx_has_the_numbers_of_the_page(client, users, world, act_as):
    act_as(users.coordinator)
    page = html.unescape(client.get("/dashboard").get_data(as_text=True))
    book = load_workbook(io.BytesIO(_xlsx(client, "/dashboard/export.xlsx")))
    assert book.sheetnames == ["Shares", "By term", "Organisations", "Blockers"]
    shares = list(book["Shares"].iter_rows(values_only=True))
    assert len(shares) == 1 + 276
    cell = next(
        c
        for row in book["Shares"].iter_rows()
        for c in row
        if isinstance(c.value, str) and c.value.startswith("=HYPERLINK")
    )
    assert cell.data_type == "s" and cell.value == FORMULA_NARRATIVE

    terms = list(book["By term"].iter_rows(values_only=True))
    on_page = table_rows(page, "terms-table")[1:]
    for sheet_row, page_row in zip(terms[1:], on_page, strict=True):
        assert sheet_row[0] == page_row[0]
        assert sheet_row[1] == int(page_row[1])
        counts = [f"{sheet_row[i]} ({sheet_row[i + 1]}%)" for i in range(2, 12, 2)]
        assert counts == page_row[2:7]
        assert [str(sheet_row[12]), f"{sheet_row[13]}%"] == page_row[7:9]

    orgs = {r[0]: r for r in book["Organisations"].iter_rows(values_only=True)}
    for row in table_rows(page, "orgs-table")[1:]:
        sheet_row = orgs[row[0]]
        assert [str(v) for v in sheet_row[2:5]] == row[2:5]
        assert f"{sheet_row[5]}%" == row[5] and str(sheet_row[6]) == row[6]

    blockers = list(book["Blockers"].iter_rows(values_only=True))[1:]
    assert [b[5] for b in blockers] == [
        "Awaiting the bureau's decision.", "Interpretation budget frozen.", SECRET_BLOCKER
    ]  # fmt: skip


def test_filtered_export_holds_only_the_view(client, users, world, act_as):
    act_as(users.coordinator)
    rows = _csv(client, "/dashboard/export.csv?org=IACHR&term=short")
    assert rows and {(r["Organisation"], r["Term"]) for r in rows} == {("IACHR", "Short term")}
    book = load_workbook(io.BytesIO(_xlsx(client, "/dashboard/export.xlsx?blocked=1")))
    shares = [(r[1], r[3]) for r in list(book["Shares"].iter_rows(values_only=True))[1:]]
    assert sorted(shares) == [("S4", "ACHPR"), ("S4", "IACHR"), ("S6", "CoE")]


def test_invalid_filters_refuse_the_export(client, users, world, act_as):
    act_as(users.coordinator)
    response = client.get("/dashboard/export.csv?stale=forever")
    assert response.status_code == 400
    assert "Give a number of days" in response.get_data(as_text=True)


@pytest.mark.parametrize("viewer", ["observer", "admin", "focal_point"])
def test_restricted_entries_stay_out_of_other_peoples_exports(client, users, world, act_as, viewer):
    act_as(getattr(users, viewer))
    rows = _csv(client, "/dashboard/export.csv")
    coe = next(r for r in rows if r["Recommendation"] == "S4" and r["Organisation"] == "CoE")
    assert coe["Status"] == "In progress" and coe["Progress (%)"] == "40"
    assert coe["Latest narrative"] == "Network narrative of CoE."
    raw = client.get("/dashboard/export.xlsx").get_data()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        text = b"".join(archive.read(name) for name in archive.namelist())
    assert SECRET_NARRATIVE.encode() not in text
    if viewer == "focal_point":
        # ACHPR's focal point reads ACHPR's own restricted blocker, never CoE's report.
        assert SECRET_BLOCKER.encode() in text
    else:
        assert SECRET_BLOCKER.encode() not in text
