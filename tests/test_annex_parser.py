"""The Annex II parser: the committed seed, every task's organisations, and synthetic snippets."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from workplan.plan import annex

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
DOCUMENT = SEEDS / "source_document.txt"
DOCUMENT_TEXT = DOCUMENT.read_text(encoding="utf-8")
DECISIONS = json.loads((SEEDS / "decisions.json").read_text(encoding="utf-8"))

RHRMS = {"ACHPR", "AfHPR", "ECOWAS CJ", "IACHR", "IACourtHR", "CoE", "ODIHR", "AICHR", "ACWC"}
RHRMS |= {"IPHRC", "AHRC"}
OHCHR = {"NIRMS", "FOTCD", "SPB", "UPR", "HRTD", "RDD"}

# Read from Annex II by hand: task -> (responsible organisations, leads).
EXPECTED = {
    "S1": ({"NIRMS"}, set()),
    "S2": (RHRMS | {"NIRMS", "SPB", "UPR", "HRTD"}, set()),
    "S3": (
        RHRMS | {"NIRMS", "SPB", "HRTD"},
        {"ACHPR", "AfHPR", "ECOWAS CJ", "IACHR", "IACourtHR", "CoE", "ODIHR"},
    ),
    "S4": (RHRMS | {"UPR"}, {"ACHPR", "IACHR", "CoE", "ODIHR"}),
    "S5": ({"ACHPR", "IACHR", "CoE", "ODIHR", "SPB", "HRTD"}, set()),
    "S6": ((RHRMS - {"AfHPR"}) | {"RDD", "SPB", "HRTD"}, set()),  # decision S6:ohchr-list
    "S7": ({"NIRMS"}, set()),
    "S8": (RHRMS | OHCHR, set()),
    "S9": (RHRMS | OHCHR, set()),  # decision S9:cut-off-list
    "M1": (RHRMS, set()),
    "M2": (RHRMS | {"RDD", "HRTD", "SPB"}, set()),
    "M3": (
        {"CoE", "ODIHR", "ACHPR", "IACHR", "IACourtHR", "AfHPR", "ECOWAS CJ", "HRTD", "SPB"},
        set(),
    ),
    "M4": (RHRMS | OHCHR, {"NIRMS"}),  # decision M4:collaboration
    "M5": (
        RHRMS | {"HRTD", "SPB", "UPR"},
        {"CoE", "ODIHR", "ACHPR", "IACHR", "IACourtHR", "ECOWAS CJ"},
    ),
    "M6": ({"CoE", "ODIHR", "ACHPR", "IACHR", "FOTCD", "RDD", "SPB"}, set()),
    "M7": ({"ACHPR", "IACHR", "CoE", "ODIHR", "SPB", "FOTCD"}, set()),
    "M8": (RHRMS - {"CoE", "ODIHR"} | {"HRTD", "FOTCD", "SPB"}, set()),
    "M9": (
        RHRMS | {"HRTD", "UPR", "SPB", "RDD", "FOTCD"},
        {"ACHPR", "AfHPR", "IACHR", "CoE", "ODIHR"},
    ),
    "M10": (RHRMS | {"FOTCD"}, set()),
    "M11": ({"CoE", "ODIHR", "ACHPR", "IACHR", "AHRC", "HRTD", "FOTCD"}, set()),
    "M12": ({"HRTD"}, set()),
    "M13": ({"CoE", "ODIHR", "IACHR", "ACHPR", "FOTCD"}, set()),
    "L1": (RHRMS | {"NIRMS", "HRTD", "SPB", "UPR", "RDD"}, set()),
    "L2": ({"CoE", "IACHR", "ACHPR", "ODIHR", "UPR"}, set()),
    "L3": (RHRMS | {"FOTCD"}, set()),
    "L4": (
        RHRMS | {"HRTD", "SPB", "RDD", "UPR", "FOTCD"},
        {"CoE", "IACHR", "IACourtHR", "ACHPR", "AfHPR", "ODIHR", "ECOWAS CJ"},
    ),
}

INTRO = (
    "Participants included "
    + ", ".join(f"the {o['name']} ({o['code']})" for o in annex.KNOWN_ORGANISATIONS)
    + "."
)


def make_document(body: str, intro: str = INTRO) -> str:
    """A small document with an Annex II made of ``body`` (its short-term section)."""
    return (
        "# Rapport\n\nCorps du rapport.\n\n## Annexe II\n\n[Anglais seulement]\n\n"
        f"### **Outcome**\n\n**Geneva, 14 December 2012**\n\n{intro}\n\n"
        f"#### **1. Short term recommendations**\n\n{body}\n\n"
        "## Annexe III\n\nA **later** annex.\n\n**Implementation: focal points ACHPR.**\n"
    )


@pytest.fixture(scope="module")
def plan() -> annex.AnnexPlan:
    return annex.parse_annex(DOCUMENT_TEXT, DECISIONS)


@pytest.fixture(scope="module")
def tasks(plan: annex.AnnexPlan) -> dict[str, dict]:
    return {t["code"]: t for t in plan.tasks}


def shares(task: dict) -> tuple[set[str], set[str]]:
    return {r["org"] for r in task["responsible"]}, {
        r["org"] for r in task["responsible"] if r["lead"]
    }


def test_committed_seed_is_reproduced_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    annex.import_annex(DOCUMENT, SEEDS / "decisions.json", out)
    assert out.read_bytes() == (SEEDS / "plan.json").read_bytes()


def test_seed_records_its_source(plan: annex.AnnexPlan) -> None:
    seed = annex.plan_to_seed(plan)
    assert seed["source"] == {
        "document": "seeds/source_document.txt",
        "sha256": hashlib.sha256(DOCUMENT.read_bytes()).hexdigest(),
        "section": "Annex II",
        "meeting": "First meeting of focal points, Geneva, 14 December 2012",
    }
    assert annex.dump_seed(seed) == (SEEDS / "plan.json").read_text(encoding="utf-8")
    assert all("aliases" not in org for org in seed["organisations"])
    assert [d["id"] for d in seed["decisions"]] == [p.id for p in plan.points]


def test_known_organisations() -> None:
    orgs = annex.KNOWN_ORGANISATIONS
    assert [o["code"] for o in orgs] == [
        "ACHPR", "AfHPR", "ECOWAS CJ", "IACHR", "IACourtHR", "CoE", "ODIHR", "AICHR", "ACWC",
        "IPHRC", "AHRC", "NIRMS", "FOTCD", "SPB", "UPR", "HRTD", "RDD",
    ]  # fmt: skip
    assert {o["code"] for o in orgs if o["kind"] == "rhrm"} == RHRMS
    assert all(o["region"] is None for o in orgs if o["kind"] == "ohchr")
    regions = {o["code"]: o["region"] for o in orgs}
    assert regions["ECOWAS CJ"] == "Africa" and regions["AHRC"] == "Middle East and OIC"
    assert all(o["name"] and o["name_fr"] for o in orgs)
    assert {"ACPHR", "AfHR"} <= {a for o in orgs for a in o["aliases"]}


def test_counts_per_term(plan: annex.AnnexPlan) -> None:
    codes = [t["code"] for t in plan.tasks]
    assert codes == [f"S{i}" for i in range(1, 10)] + [f"M{i}" for i in range(1, 14)] + [
        f"L{i}" for i in range(1, 5)
    ]
    terms = [t["term"] for t in plan.tasks]
    assert (terms.count("short"), terms.count("mid"), terms.count("long")) == (9, 13, 4)
    assert [t["order"] for t in plan.tasks] == list(range(1, 27))


def test_every_task_is_complete(plan: annex.AnnexPlan) -> None:
    order = [o["code"] for o in annex.KNOWN_ORGANISATIONS]
    for task in plan.tasks:
        assert task["title"] and task["text"] and task["implementation"], task["code"]
        assert task["responsible"], task["code"]
        codes = [r["org"] for r in task["responsible"]]
        assert codes == sorted(codes, key=order.index), task["code"]
        for value in (task["title"], task["text"], task["implementation"]):
            assert "**" not in value and "\\" not in value and "<sup>" not in value


@pytest.mark.parametrize("code", list(EXPECTED))
def test_responsible_organisations_and_leads(tasks: dict[str, dict], code: str) -> None:
    assert shares(tasks[code]) == EXPECTED[code]


def test_titles_texts_and_references(tasks: dict[str, dict]) -> None:
    assert tasks["S1"]["title"] == "Creation of an emailing list"
    assert tasks["S2"]["title"] == "Information on current and future activities … shared"
    # A few plain words before the bold ones complete the title; a leading article goes.
    assert tasks["M3"]["title"] == "Staff exchanges between secretariats"
    assert tasks["M4"]["title"] == "Matrix"
    assert tasks["M7"]["title"] == "Joint country visits"
    # A long recommendation keeps a title of at most 80 characters.
    assert tasks["L2"]["title"] == "UPR … official documents"
    assert all(len(t["title"]) <= 80 for t in tasks.values())
    assert tasks["S5"]["title"] == "Joint press releases, declarations and statements"
    assert tasks["S2"]["text"].startswith("Information on current and future activities")
    assert tasks["S2"]["text"].endswith("calendars of activities, etc.")
    assert "United Nations country teams" in tasks["L3"]["text"]
    assert tasks["S1"]["source_ref"] == "Annex II, short-term recommendation 1"
    assert tasks["M13"]["source_ref"] == "Annex II, mid-term recommendation 13"
    assert tasks["L4"]["source_ref"] == "Annex II, long-term recommendation 4"
    assert tasks["S1"]["implementation"] == "focal point OHCHR NIRMS"
    assert (
        tasks["M13"]["implementation"] == "CoE, ODIHR, IACHR, ACHPR and OHCHR focal points FOTCD."
    )


def test_misspelt_codes_are_resolved_and_reported(
    plan: annex.AnnexPlan, tasks: dict[str, dict]
) -> None:
    points = {p.id: p for p in plan.points}
    assert points["S4:alias:ACPHR"].kind == "alias" and points["S4:alias:ACPHR"].text == "ACPHR"
    assert points["L4:alias:AfHR"].kind == "alias" and points["L4:alias:AfHR"].text == "AfHR"
    assert "ACHPR" in shares(tasks["S4"])[1]
    assert "AfHPR" in shares(tasks["L4"])[1]
    assert not points["S4:alias:ACPHR"].needs_decision


def test_points_quote_the_document(plan: annex.AnnexPlan) -> None:
    assert {p.id for p in plan.points} == {
        "intro:not-listed:NIRMS", "S4:alias:ACPHR", "S6:ohchr-list", "S9:cut-off-list",
        "M4:collaboration", "L4:alias:AfHR",
    }  # fmt: skip
    assert all(p.text in DOCUMENT_TEXT for p in plan.points)
    assert not [p.id for p in plan.points if p.needs_decision]
    # NIRMS convened the meeting: the participants paragraph does not name it.
    nirms = plan.points[0]
    assert (nirms.id, nirms.task, nirms.kind, nirms.decided) == (
        "intro:not-listed:NIRMS", None, "not-listed", True,
    )  # fmt: skip


def test_without_decisions_the_doubtful_points_stay_open() -> None:
    plan = annex.parse_annex(DOCUMENT_TEXT)
    points = {p.id: p for p in plan.points}
    for pid in ("S9:cut-off-list", "S6:ohchr-list", "M4:collaboration"):
        assert not points[pid].decided and points[pid].decision is None
        assert points[pid].needs_decision and points[pid].reading
    assert points["S9:cut-off-list"].text == "focal points of all RHRMs and focal points."
    tasks = {t["code"]: t for t in plan.tasks}
    assert len(tasks) == 26
    # The default readings assign only what the line names without doubt.
    assert shares(tasks["S9"]) == (RHRMS, set())
    assert shares(tasks["S6"]) == ((RHRMS - {"AfHPR"}) | {"RDD", "SPB", "HRTD"}, set())
    assert shares(tasks["M4"]) == (OHCHR, {"NIRMS"})


def test_decisions_are_checked() -> None:
    with pytest.raises(ValueError, match="S99:cut-off-list"):
        annex.parse_annex(DOCUMENT_TEXT, {"S99:cut-off-list": {"responsible": "", "why": "x"}})
    with pytest.raises(ValueError, match="no organisation code"):
        annex.parse_annex(DOCUMENT_TEXT, {"S9:cut-off-list": {"responsible": "UN", "why": "x"}})
    with pytest.raises(ValueError, match="why"):
        annex.parse_annex(DOCUMENT_TEXT, {"S9:cut-off-list": {"responsible": "all-rhrms"}})


def test_import_without_decisions_file(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    plan = annex.import_annex(DOCUMENT, tmp_path / "missing.json", out)
    assert [p.id for p in plan.points if p.needs_decision] == [
        "S6:ohchr-list", "S9:cut-off-list", "M4:collaboration",
    ]  # fmt: skip
    assert json.loads(out.read_text(encoding="utf-8"))["tasks"][0]["code"] == "S1"


def test_extract_annex_stops_at_the_next_annex() -> None:
    text = annex.extract_annex(
        make_document("A **thing**.\n\n**Implementation: focal points CoE.**")
    )
    assert text.startswith("[Anglais seulement]") and "later" not in text


@pytest.mark.parametrize("document", ["no annex here", "## Annexe I\n\nx\n\n## Annexe III\n\ny\n"])
def test_missing_annex_raises(document: str) -> None:
    with pytest.raises(ValueError, match="Annex II"):
        annex.parse_annex(document)


def synthetic(body: str, intro: str = INTRO) -> annex.AnnexPlan:
    return annex.parse_annex(make_document(body, intro))


def test_synthetic_intro_raises_no_point() -> None:
    plan = synthetic("A **thing**.\n\n**Implementation: focal points CoE.**")
    assert plan.points == []
    assert [t["code"] for t in plan.tasks] == ["S1"]


def test_except_removes_organisations() -> None:
    body = "A **thing**.\n\n**Implementation: focal points all RHRMs except the AfHPR and ACWC.**"
    (task,) = synthetic(body).tasks
    assert shares(task) == (RHRMS - {"AfHPR", "ACWC"}, set())


def test_in_particular_marks_leads_up_to_the_ohchr_units() -> None:
    body = (
        "A **thing**.\n\n**Implementation: all focal points RHRMs, in particular CoE, ACPHR, "
        "and focal points OHCHR SPB, UPR.**\n\n"
        "Another **thing**.\n\n**Implementation: OHCHR focal points, in particular NIRMS.**"
    )
    plan = synthetic(body)
    first, second = plan.tasks
    assert shares(first) == (RHRMS | {"SPB", "UPR"}, {"CoE", "ACHPR"})
    assert shares(second) == (OHCHR, {"NIRMS"})
    assert [p.id for p in plan.points] == ["S1:alias:ACPHR"]


def test_page_break_between_text_and_implementation_is_ignored() -> None:
    body = (
        "Information should be **shared** regularly.\n\n---\n\n"
        "<sup>3</sup> A footnote at the foot of the page.\n\n"
        "<sup>4</sup> Another footnote.\n\n"
        "**Implementation: focal points IACHR and OHCHR focal points HRTD.**"
    )
    (task,) = synthetic(body).tasks
    assert task["text"] == "Information should be shared regularly."
    assert task["title"] == "Information should be shared"
    assert shares(task) == ({"IACHR", "HRTD"}, set())


def test_glued_and_plain_term_headings() -> None:
    body = (
        "A **first** thing.\n\n**Implementation: focal points CoE.****2. Mid-term recommendations**"
        "\n\nA **second** thing.\n\n**Implementation: focal points SPB.**\n\n"
        "### Long-term recommendations\n\nA **third** thing.\n\n##### **Implementation: UPR**"
    )
    plan = synthetic(body)
    assert [(t["code"], t["term"]) for t in plan.tasks] == [
        ("S1", "short"), ("M1", "mid"), ("L1", "long"),
    ]  # fmt: skip
    assert plan.tasks[0]["implementation"] == "focal points CoE."
    assert [shares(t)[0] for t in plan.tasks] == [{"CoE"}, {"SPB"}, {"UPR"}]


def test_title_skips_punctuation_only_bold() -> None:
    (task,) = synthetic(
        "A **,** then a **portal page**.\n\n**Implementation: focal points CoE.**"
    ).tasks
    assert task["title"] == "Portal page"


def test_unknown_organisation_name_becomes_a_point() -> None:
    body = "A **thing**.\n\n**Implementation: focal points ACHPR and the Ombudsman of Ruritania.**"
    plan = synthetic(body)
    (point,) = plan.points
    assert (point.id, point.kind, point.text) == (
        "S1:unknown:Ombudsman of Ruritania", "ambiguous", "Ombudsman of Ruritania",
    )  # fmt: skip
    assert point.needs_decision
    assert shares(plan.tasks[0]) == ({"ACHPR"}, set())
    decided = annex.parse_annex(
        make_document(body), {point.id: {"responsible": "NIRMS", "why": "NIRMS relays it."}}
    )
    assert decided.points[0].decided
    assert shares(decided.tasks[0]) == ({"ACHPR", "NIRMS"}, set())


def test_cut_off_list_becomes_a_point() -> None:
    plan = synthetic("A **thing**.\n\n**Implementation: focal points CoE and focal points.**")
    assert [(p.id, p.kind) for p in plan.points] == [("S1:cut-off-list", "cut-off-list")]
    assert shares(plan.tasks[0]) == ({"CoE"}, set())


def test_participants_paragraph_is_verified() -> None:
    intro = INTRO.replace(" (IPHRC)", "")
    intro += " The Ruritanian Human Rights Board (RHRB) also attended."
    plan = synthetic("A **thing**.\n\n**Implementation: focal points CoE.**", intro=intro)
    assert [(p.id, p.task, p.kind) for p in plan.points] == [
        ("intro:not-listed:IPHRC", None, "not-listed"),
        ("intro:unknown:RHRB", None, "ambiguous"),
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("**Implementation: focal points CoE.**", "without a recommendation"),
        ("A **thing** with no implementation.", "no Implementation line"),
    ],
)
def test_malformed_annex_raises(body: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        synthetic(body)
