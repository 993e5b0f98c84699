"""The directory of focal points (Annex II S1, S9): the page, its CSV and vCard downloads,
hidden phones, and a fixed number of statements."""

from __future__ import annotations

import csv
import html
import io

import vobject

from tests import factories
from tests.test_dashboard_queries import counting
from workplan.extensions import db


def _people():  # type: ignore[no-untyped-def]
    main = factories.user(
        "focal_point",
        "ACHPR",
        name="Awa Ndiaye",
        email="awa@achpr.example.org",
        title="Senior Legal Officer; Secretariat",
        phone="+220 441 0505",
        focal_point_rank="main",
    )
    alternate = factories.user(
        "focal_point",
        "ACHPR",
        name="Kofi Mensah",
        email="kofi@achpr.example.org",
        title='=HYPERLINK("http://evil.example")',
        phone="+220 999 0000",
        phone_hidden=True,
        focal_point_rank="alternate",
    )
    gone = factories.user(
        "focal_point", "ACHPR", name="Former Person", email="former@achpr.example.org", active=False
    )
    return main, alternate, gone


def test_directory_lists_active_focal_points_with_their_contacts(client, users, act_as):
    *_others, gone = _people()
    act_as(users.observer)
    page = client.get("/directory").get_data(as_text=True)
    achpr = page.split('id="org-ACHPR"')[1].split("</section>")[0]
    assert achpr.index("Awa Ndiaye") < achpr.index("Kofi Mensah")  # the main one first
    assert "Senior Legal Officer; Secretariat" in achpr and "+220 441 0505" in achpr
    assert "Main focal point" in achpr and "Alternate focal point" in achpr
    assert "+220 999 0000" not in page  # hidden by its owner
    assert gone.email not in page and "Former Person" not in page
    assert "No focal point designated." in page.split('id="org-AICHR"')[1].split("</section>")[0]
    # Everyone's addresses, ready to paste, and a mailto: link.
    textarea = page.split('id="all-addresses"')[1].split("</textarea>")[0]
    expected = ["awa@achpr.example.org", "achpr@example.org", "kofi@achpr.example.org"]
    assert textarea.endswith(">" + "; ".join([*expected, "coe@example.org"]))
    assert 'href="mailto:' + ",".join([*expected, "coe@example.org"]) + '"' in page
    assert '<script src="/static/js/copy-addresses.js">' in page
    assert 'href="/directory"' in page  # in the navigation


def test_directory_csv_is_parsed_back_formula_safe_and_without_hidden_phones(client, users, act_as):
    _people()
    act_as(users.focal_point)
    response = client.get("/directory.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    by_email = {row["E-mail"]: row for row in rows}
    awa = by_email["awa@achpr.example.org"]
    # A leading "+" is a formula to a spreadsheet: the number is kept as text, marked with the
    # apostrophe spreadsheet programs hide.
    assert (awa["Organisation code"], awa["Focal point"], awa["Phone"]) == (
        "ACHPR",
        "Main",
        "'+220 441 0505",
    )
    assert awa["Title"] == "Senior Legal Officer; Secretariat"
    kofi = by_email["kofi@achpr.example.org"]
    assert kofi["Phone"] == "" and kofi["Focal point"] == "Alternate"
    assert kofi["Title"].startswith("'=HYPERLINK")  # text, not a formula
    assert "former@achpr.example.org" not in by_email
    assert "+220 999 0000" not in response.get_data(as_text=True)


def test_directory_vcards_parse_back_one_per_person(client, users, act_as):
    _people()
    act_as(users.coordinator)
    response = client.get("/directory.vcf")
    assert response.mimetype == "text/vcard"
    text = response.get_data(as_text=True)
    assert "\r\n" in text and "+220 999 0000" not in text
    cards = list(vobject.readComponents(text))
    emails = [c.email.value for c in cards]
    # By organisation; main focal points first (an account without a rank counts as one).
    assert emails == [
        "awa@achpr.example.org",
        users.focal_point.email,
        "kofi@achpr.example.org",
        users.other_focal_point.email,
    ]
    awa = next(c for c in cards if c.email.value == "awa@achpr.example.org")
    assert awa.version.value == "3.0"
    assert awa.fn.value == "Awa Ndiaye"
    assert awa.title.value == "Senior Legal Officer; Secretariat"  # escaped, then read back
    assert awa.tel.value == "+220 441 0505"
    assert awa.org.value == ["African Commission on Human and Peoples' Rights"]
    kofi = next(c for c in cards if c.email.value == "kofi@achpr.example.org")
    assert "tel" not in kofi.contents


def test_directory_reads_in_a_fixed_number_of_statements(client, users, act_as):
    def statements() -> dict[str, int]:
        counts = {}
        for path in ("/directory", "/directory.csv", "/directory.vcf"):
            act_as(users.observer)
            with counting() as seen:
                assert client.get(path).status_code == 200
            counts[path] = len(seen)
        return counts

    few = statements()
    _people()
    for org in ("AICHR", "IACHR", "CoE", "ACHPR"):
        factories.user("focal_point", org)
    assert statements() == few
    assert max(few.values()) <= 3


def test_directory_in_french_names_organisations_and_ranks_in_french(client, users, act_as):
    _people()
    users.observer.language = "fr"
    db.session.commit()
    act_as(users.observer)
    page = html.unescape(client.get("/directory").get_data(as_text=True))
    achpr = page.split('id="org-ACHPR"')[1].split("</section>")[0]
    assert "Commission africaine des droits de l’homme et des peuples" in achpr
    assert "Coordonnateur principal" in achpr and "Coordonnateur suppléant" in achpr
    assert "African Commission" not in achpr and "focal point" not in achpr
    data = client.get("/directory.csv").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    awa = next(row for row in rows if row["Adresse électronique"] == "awa@achpr.example.org")
    assert awa["Code de l’organisation"] == "ACHPR" and awa["Coordonnateur ou coordonnatrice"] == (
        "Principal"
    )
    assert awa["Organisation"] == "Commission africaine des droits de l’homme et des peuples"
