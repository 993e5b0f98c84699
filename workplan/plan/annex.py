"""Parser of Annex II of the source document: the work plan of 14 December 2012.

Annex II lists short-, mid- and long-term recommendations, each followed by an
``Implementation:`` line naming the focal points responsible for it. :func:`parse_annex` turns it
into organisations, tasks (S1.., M1.., L1..) and *points*: the places where the parser read
something it could not resolve with certainty, or resolved only through a known misspelling.

Reading an Implementation line
------------------------------
The line is cut into clauses at "and" followed by "focal", "OHCHR", "all" or "with", and at
"with the collaboration of" (the clauses after it are collaboration clauses). In a clause:
"RHRMs" means the 11 RHRMs; codes and their aliases name organisations; "OHCHR" with no OHCHR
unit named after it in the clause means the 6 OHCHR units; codes after "in particular" are leads
(and responsible); codes after "except" are removed; a parenthesised note such as
"(i.e. General Observations)" names nobody.

Points and decisions
--------------------
Point kinds, and ids (``<task>`` is a task code, ``intro`` the participants paragraph):

- ``alias`` (``<task>:alias:<spelling>``): a misspelt code mapped to its organisation. Certain.
- ``not-listed`` (``intro:not-listed:<code>``): a known organisation the participants paragraph
  does not name (NIRMS, which convened the meeting). Kept; certain.
- ``cut-off-list`` (``<task>:cut-off-list``): a clause naming nobody ("... and focal points.").
- ``ambiguous``: ``<task>:ohchr-list`` ("OHCHR, RDD, SPB": all units, or a stray comma?),
  ``<task>:collaboration`` (are "with the collaboration of" organisations responsible?),
  ``<task>:unknown:<name>`` (a name that maps to no organisation) and ``intro:unknown:<code>``
  (a parenthesised code of the participants paragraph that is no known organisation).

The default reading is the narrowest one: only organisations named without doubt are assigned.
``cut-off-list`` and ``ambiguous`` points wait for a human decision. The decisions file
(``seeds/decisions.json``) maps a point id to an entry::

    {"S9:cut-off-list": {"responsible": "all-rhrms+all-ohchr", "why": "..."},
     "M4:collaboration": {"responsible": "all-rhrms+all-ohchr", "why": "..."}}

- ``responsible``: organisation codes and the groups ``all-rhrms`` / ``all-ohchr``, joined by
  "+" (or a JSON list). They replace what the point's fragment contributes to the task: the whole
  line for a cut-off list, the clause for ``ohchr-list``, the collaboration clauses for
  ``collaboration``, the name for ``unknown``. An empty value assigns nobody.
- ``leads`` (optional, same form): which of them are leads; none by default.
- ``why`` (required): the reason, kept with the plan.

Other points (``alias``, ``not-listed``, ``intro:unknown``) accept an entry with ``why`` only, as
an acknowledgement. An entry whose id the parser does not report is an error (a stale decision).
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workplan.plan.network import KNOWN_ORGANISATIONS, OHCHR_CODES, RHRM_CODES

__all__ = [
    "KNOWN_ORGANISATIONS",
    "AnnexPlan",
    "Point",
    "dump_seed",
    "extract_annex",
    "import_annex",
    "parse_annex",
    "plan_to_seed",
]

SEED_DOCUMENT = "seeds/source_document.txt"
MEETING = "First meeting of focal points, Geneva, 14 December 2012"


_ORDER = {org["code"]: i for i, org in enumerate(KNOWN_ORGANISATIONS)}
_NAMES = {org["code"]: org["name"] for org in KNOWN_ORGANISATIONS}
_GROUPS = {"all-rhrms": RHRM_CODES, "all-ohchr": OHCHR_CODES}
_SPELLINGS = {s: o["code"] for o in KNOWN_ORGANISATIONS for s in (o["code"], *o["aliases"])}
# Acronyms that are not organisations of the network: the collective words, and those inside
# the organisations' own names ("League of Arab States (LAS) ...").
_OTHER_ACRONYMS = {"RHRMs", "RHRM", "OHCHR"} | {
    a for o in KNOWN_ORGANISATIONS for a in re.findall(r"\(([^()]+)\)", o["name"])
}


def _word_re(spelling: str) -> str:
    return rf"(?<!\w){re.escape(spelling)}(?!\w)"


_TOKEN = re.compile(
    "(?P<org>{})|(?P<paren>\\([^)]*\\)?)|(?P<word>[^\\W\\d_][\\w'-]*)|(?P<comma>[,;])".format(
        "|".join(_word_re(s) for s in sorted(_SPELLINGS, key=len, reverse=True))
    )
)
_ANNEX_START = re.compile(r"^#{1,6}[ \t]*\**[ \t]*Annexe?[ \t]+II[ \t]*\**[ \t]*$", re.I | re.M)
_ANNEX_NEXT = re.compile(r"^#{1,6}[ \t]*\**[ \t]*Annexe?[ \t]+[IVXLC]+\b", re.I | re.M)
_HEADING_WORDS = r"(?:\d+\s*[.)]\s*)?(short|mid|medium|long)[\s-]*term\s+recommendations"
_TERM_HEADING = re.compile(rf"^{_HEADING_WORDS}\s*:?$", re.I)
_GLUED_HEADING = re.compile(rf"\*\*\s*{_HEADING_WORDS}\s*\*\*\s*$", re.I)
_IMPLEMENTATION = re.compile(r"^implementation\s*:\s*(.*)$", re.I | re.S)
_TERMS = {"short": "short", "mid": "mid", "medium": "mid", "long": "long"}
_PREFIX = {"short": "S", "mid": "M", "long": "L"}
_COLLABORATION = (["with", "the", "collaboration", "of"], ["with", "collaboration", "of"])
_CLAUSE_STARTS = {"focal", "ohchr", "all", "with"}
_GROUP_WORDS = {"rhrms", "rhrm", "ohchr"}
_KEYWORDS = {"focal", "point", "points", "of", "the", "all", "and", "particular", "except"}
_KEYWORDS |= _GROUP_WORDS
_POINT_FIELDS = ("id", "task", "kind", "text", "reading", "decision")
_SUP = re.compile(r"<sup>.*?</sup>", re.S)


@dataclass
class Point:
    """A place of the annex the parser resolved through an alias, or could not resolve alone."""

    id: str
    task: str | None
    kind: str
    text: str
    reading: str
    decided: bool = False
    decision: str | None = None

    @property
    def needs_decision(self) -> bool:
        """True for a cut-off or ambiguous point that no recorded decision settles yet."""
        return self.kind in ("cut-off-list", "ambiguous") and not self.decided


@dataclass
class AnnexPlan:
    """The plan read from Annex II: organisations (with aliases), tasks and points."""

    organisations: list[dict[str, Any]]
    tasks: list[dict[str, Any]]
    points: list[Point]
    document_sha256: str = ""


def _plain(text: str) -> str:
    """Markdown as read: no emphasis or footnote calls, escapes resolved, spaces normalised."""
    text = _SUP.sub("", text)
    # `country\_teams`: the PDF conversion wrote an escaped underscore for a space.
    text = re.sub(r"(?<=\w)\\_(?=\w)", " ", text)
    text = re.sub(r"\\(.)|\*+", lambda m: m.group(1) or "", text)
    text = re.sub(r"^#+\s*", "", text.strip())
    return " ".join(text.split())


TITLE_MAX = 80
LEAD_IN_WORDS = 3
_ARTICLES = {"a", "an", "the"}


def _title(paragraphs: list[str], text: str) -> str:
    """The recommendation's title: its bold words, in order, joined by an ellipsis.

    Up to three plain words just before the first bold ones belong to the title when they
    complete its sense ("Staff exchanges **between secretariats**", "Creation of an **emailing
    list**"); a leading article is dropped ("A **matrix**"). Bold fragments are added while the
    title stays within 80 characters, so that a long recommendation keeps a usable title.
    """
    raw = " ".join(_SUP.sub("", paragraph) for paragraph in paragraphs)
    parts = [
        (match.start(), _plain(match.group(1)))
        for match in re.finditer(r"\*\*(.+?)\*\*", raw)
        if any(ch.isalnum() for ch in match.group(1))
    ]
    if not parts:  # no bold words: the opening words stand in
        words = text.split()
        title = " ".join(words[:8]) + (" …" if len(words) > 8 else "")
        return title[:1].upper() + title[1:]
    lead_in = _plain(raw[: parts[0][0]]).split()
    if lead_in and lead_in[0].lower() in _ARTICLES:
        lead_in = lead_in[1:]
    first = parts[0][1]
    if 0 < len(lead_in) <= LEAD_IN_WORDS and not any(w.endswith((".", ",")) for w in lead_in):
        first = " ".join([*lead_in, first])
    title = first
    for _, fragment in parts[1:]:
        if len(title) + len(" … ") + len(fragment) > TITLE_MAX:
            break
        title = f"{title} … {fragment}"
    return title[:1].upper() + title[1:]


def extract_annex(document_text: str) -> str:
    """The text of Annex II: after its heading line, up to the next annex heading.

    A later meeting's outcome in the same style may come on its own, without the report
    around it: a document with no Annex II heading whose lines include a term heading
    ("Short-term recommendations") is read whole.
    """
    start = _ANNEX_START.search(document_text)
    if start is None:
        if any(_TERM_HEADING.match(_plain(line)) for line in _lines(document_text)):
            return document_text.strip("\n")
        raise ValueError("Annex II not found: the document has no heading line '## Annexe II'")
    end = _ANNEX_NEXT.search(document_text, start.end())
    annex = document_text[start.end() : end.start() if end else len(document_text)].strip("\n")
    if not annex.strip():
        raise ValueError("Annex II is empty")
    return annex


def _lines(annex: str) -> list[str]:
    """The lines of the annex, with a term heading glued to the end of a line split off."""
    lines: list[str] = []
    for line in annex.splitlines():
        glued = _GLUED_HEADING.search(line)
        if glued and glued.start() > 0 and _plain(line[: glued.start()]):
            lines += [line[: glued.start()], line[glued.start() :]]
        else:
            lines.append(line)
    return lines


@dataclass
class _Draft:
    term: str
    paragraphs: list[str]
    implementation: str


def _read_structure(annex: str) -> tuple[str, list[_Draft]]:
    """The participants paragraph, and each recommendation with its Implementation line."""
    participants, term, pending, drafts = "", "", [], []
    for line in _lines(annex):
        stripped, plain = line.strip(), _plain(line)
        # Page breaks and the footnotes printed at the foot of a page are not the annex's text.
        if not plain or re.fullmatch(r"-{3,}|_{3,}", stripped) or stripped.startswith("<sup>"):
            continue
        heading = _TERM_HEADING.match(plain)
        if heading:
            if pending:
                raise ValueError(f"no Implementation line after {_plain(pending[0])[:60]!r}")
            term = _TERMS[heading.group(1).lower()]
        elif not term:
            bold = stripped.startswith("**") and stripped.endswith("**")
            if not participants and not stripped.startswith(("#", "[")) and not bold:
                participants = stripped
        elif implementation := _IMPLEMENTATION.match(plain):
            if not pending:
                raise ValueError(f"Implementation line without a recommendation: {plain!r}")
            drafts.append(_Draft(term, pending, implementation.group(1).strip()))
            pending = []
        else:
            pending.append(stripped)
    if pending:
        raise ValueError(f"no Implementation line after {_plain(pending[0])[:60]!r}")
    return participants, drafts


def _sorted(codes: set[str] | list[str] | tuple[str, ...]) -> list[str]:
    return sorted(set(codes), key=_ORDER.__getitem__)


def _describe(codes: set[str] | list[str]) -> str:
    """``the 11 RHRMs + NIRMS, SPB``: a set of organisations in words."""
    chosen, parts = set(codes), []
    for group, label in ((RHRM_CODES, "the 11 RHRMs"), (OHCHR_CODES, "the 6 OHCHR units")):
        members = [c for c in group if c in chosen]
        if members:
            parts.append(label if len(members) == len(group) else ", ".join(members))
    return " + ".join(parts) or "nobody"


def _expand(spec: Any, point_id: str) -> list[str]:
    items = spec.split("+") if isinstance(spec, str) else spec
    if not isinstance(items, list):
        raise ValueError(f"decision {point_id}: expected codes joined by '+' or a list")
    codes: list[str] = []
    for item in (str(i).strip() for i in items):
        if item in _GROUPS:
            codes += _GROUPS[item]
        elif item in _ORDER:
            codes.append(item)
        elif item:
            raise ValueError(f"decision {point_id}: {item!r} is no organisation code or group")
    return _sorted(codes)


def _decide(point: Point, decisions: dict[str, Any]) -> tuple[list[str], list[str]] | None:
    """Record the decision for ``point``, if any; return the organisations it assigns."""
    entry = decisions.get(point.id)
    if entry is None:
        return None
    if not isinstance(entry, dict) or not str(entry.get("why", "")).strip():
        raise ValueError(f"decision {point.id}: expected an object with a non-empty 'why'")
    takes_orgs = point.task is not None and point.kind in ("cut-off-list", "ambiguous")
    if takes_orgs != ("responsible" in entry):
        need = "needs" if takes_orgs else "takes no"
        raise ValueError(f"decision {point.id}: this point {need} 'responsible'")
    point.decided, point.decision = True, entry["why"].strip()
    if not takes_orgs:
        return None
    responsible = _expand(entry["responsible"], point.id)
    leads = _expand(entry.get("leads", ""), point.id)
    if not set(leads) <= set(responsible):
        raise ValueError(f"decision {point.id}: every lead must be responsible")
    lead_words = f"; leads: {', '.join(leads)}" if leads else ""
    point.decision = f"responsible: {_describe(responsible)}{lead_words}. {point.decision}"
    point.reading += " Replaced by the recorded decision."
    return responsible, leads


@dataclass
class _Token:
    kind: str
    value: str
    start: int
    end: int

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.value.lower() in words


@dataclass
class _Clause:
    collaboration: bool
    tokens: list[_Token] = field(default_factory=list)
    lead_in: int | None = None  # where "with the collaboration of" starts, if it opens the clause


def _clauses(text: str) -> list[_Clause]:
    """The clauses of an Implementation line (see the module docstring)."""
    tokens = [
        _Token(m.lastgroup or "", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]
    clauses = [_Clause(False)]

    def new_clause(collaboration: bool) -> None:
        if clauses[-1].tokens:
            clauses.append(_Clause(collaboration))
        clauses[-1].collaboration = collaboration

    i = 0
    while i < len(tokens):
        words = [t.value.lower() for t in tokens[i : i + 4]]
        lead_in = next((len(w) for w in _COLLABORATION if words[: len(w)] == w), 0)
        if lead_in:
            new_clause(True)
            clauses[-1].lead_in = tokens[i].start
            i += lead_in
        elif words[0] == "and" and len(words) > 1 and words[1] in _CLAUSE_STARTS:
            new_clause(clauses[-1].collaboration)
            i += 1
        else:
            clauses[-1].tokens.append(tokens[i])
            i += 1
    return clauses


@dataclass
class _ClauseReading:
    members: set[str] = field(default_factory=set)
    leads: set[str] = field(default_factory=set)
    aliases: list[_Token] = field(default_factory=list)
    unknown: list[tuple[int, int]] = field(default_factory=list)
    ohchr_comma: bool = False
    names_someone: bool = False


def _read_clause(clause: _Clause) -> _ClauseReading:
    """What one clause names: members, leads, aliases used, unknown names."""
    reading, mode, excluded = _ClauseReading(), "members", set()
    named: dict[str, set[str]] = {"members": reading.members, "leads": reading.leads}
    ohchr_at: int | None = None
    run: tuple[int, int] | None = None  # the span of a name made of unknown words
    tokens = clause.tokens
    for i, tok in enumerate(tokens):
        word = tok.value.lower() if tok.kind == "word" else ""
        in_particular = word == "in" and i + 1 < len(tokens) and tokens[i + 1].is_word("particular")
        unknown = bool(word) and not in_particular and word not in _KEYWORDS
        if run and not unknown and word not in ("of", "the"):
            reading.unknown.append(run)
            run = None
        if unknown:
            run = (run[0] if run else tok.start, tok.end)
        elif tok.kind == "org":
            code = _SPELLINGS[tok.value]
            if tok.value != code:
                reading.aliases.append(tok)
            named.get(mode, excluded).add(code)
        elif in_particular:
            mode = "leads"
        elif word == "except":
            mode = "except"
        elif word in ("rhrms", "rhrm"):
            named.get(mode, excluded).update(RHRM_CODES)
        elif word == "ohchr" and mode == "members":
            ohchr_at = i
    if run:
        reading.unknown.append(run)
    listed_units = reading.members & set(OHCHR_CODES)
    if ohchr_at is not None and not listed_units:
        reading.members.update(OHCHR_CODES)
    after = tokens[ohchr_at + 1] if ohchr_at is not None and ohchr_at + 1 < len(tokens) else None
    reading.ohchr_comma = bool(after and after.kind == "comma" and listed_units)
    reading.members -= excluded
    reading.members |= reading.leads
    reading.names_someone = bool(reading.members or excluded or reading.unknown)
    return reading


def _resolve(task: str, text: str, decisions: dict[str, Any]) -> tuple[list[dict], list[Point]]:
    """The responsible organisations of one Implementation line, and its points."""
    shares: dict[str, bool] = {}
    points: list[tuple[int, Point]] = []

    def add(codes: set[str] | list[str], leads: set[str] | list[str] = ()) -> None:
        for code in codes:
            shares[code] = shares.get(code, False) or code in leads

    def point(start: int, suffix: str, kind: str, fragment: str, reading: str) -> Point:
        pid, ids, n = f"{task}:{suffix}", {p.id for _, p in points}, 1
        while pid in ids:  # the same alias twice in one line
            n += 1
            pid = f"{task}:{suffix}#{n}"
        new = Point(pid, task, kind, fragment, reading)
        points.append((start, new))
        return new

    collaborators: set[str] = set()
    collaboration_span: list[int] = []
    cut_off: list[str] = []
    clauses = _clauses(text)
    for clause in clauses:
        reading = _read_clause(clause)
        start, end = (clause.tokens[0].start, clause.tokens[-1].end) if clause.tokens else (0, 0)
        for tok in reading.aliases:
            code = _SPELLINGS[tok.value]
            reading_text = f"'{tok.value}' read as {code} ({_NAMES[code]})."
            _decide(
                point(tok.start, f"alias:{tok.value}", "alias", tok.value, reading_text), decisions
            )
        for u_start, u_end in reading.unknown:
            name = text[u_start:u_end]
            why = f"'{name}' maps to no known organisation: nobody assigned for it."
            p = point(u_start, f"unknown:{name}", "ambiguous", name, why)
            if decided := _decide(p, decisions):
                add(*decided)
        if not reading.names_someone:
            cut_off.append(text[start:end])
        elif clause.collaboration:
            collaborators |= reading.members
            if not collaboration_span:
                collaboration_span.append(start if clause.lead_in is None else clause.lead_in)
            collaboration_span[1:] = [end]
        elif reading.ohchr_comma:
            listed = [_SPELLINGS[t.value] for t in clause.tokens if t.kind == "org"]
            why = (
                f"'OHCHR,' followed by a list of OHCHR units: read as the units listed "
                f"({', '.join(listed)}), the comma after OHCHR taken as stray; the other "
                f"reading assigns all 6 OHCHR units."
            )
            p = point(start, "ohchr-list", "ambiguous", text[start:end], why)
            decided = _decide(p, decisions)
            add(*(decided or (reading.members, reading.leads)))
        else:
            add(reading.members, reading.leads)
    if collaborators:
        start, end = collaboration_span[0], collaboration_span[-1]
        why = (
            f"Collaborators ({_describe(collaborators)}) not assigned: only the organisations "
            f"before 'with the collaboration of' are responsible; the other reading assigns the "
            f"collaborators as non-leads."
        )
        p = point(start, "collaboration", "ambiguous", text[start:end], why)
        if decided := _decide(p, decisions):
            add(*decided)
    if cut_off or (clauses[-1].tokens and clauses[-1].tokens[-1].is_word("and")):
        why = (
            f"Cut-off list: '{cut_off[0] if cut_off else 'and'}' names no organisation; only the "
            f"organisations named are assigned ({_describe(list(shares))})."
        )
        if decided := _decide(
            point(0, "cut-off-list", "cut-off-list", text.strip(), why), decisions
        ):
            shares.clear()
            add(*decided)
    responsible = [{"org": code, "lead": shares[code]} for code in _sorted(list(shares))]
    return responsible, [p for _, p in sorted(points, key=lambda item: item[0])]


def _check_participants(paragraph: str, tasks: list[dict], decisions: dict) -> list[Point]:
    """Verify the known organisations against the participants paragraph of the annex."""
    flat = " ".join(re.sub(r"['’]s\b|['’()]", " ", paragraph).split())
    points = []
    for org in KNOWN_ORGANISATIONS:
        code = org["code"]
        if any(re.search(_word_re(s), flat) for s in (code, *org["aliases"])):
            continue
        named_in = [t["code"] for t in tasks if re.search(_word_re(code), t["implementation"])]
        where = f"Implementation lines name it ({', '.join(named_in)})" if named_in else "unused"
        why = f"{code} ({org['name']}) is not named in the participants paragraph; kept: {where}."
        points.append(Point(f"intro:not-listed:{code}", None, "not-listed", code, why))
    for match in re.finditer(r"\(([^()]+)\)", paragraph):
        inner = match.group(1).strip()
        code_like = re.fullmatch(r"[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*( [A-Z]{1,4})?", inner)
        if code_like and inner not in _SPELLINGS and inner not in _OTHER_ACRONYMS:
            why = (
                f"'{inner}' is no known organisation code: ignored (KNOWN_ORGANISATIONS lacks it)."
            )
            points.append(Point(f"intro:unknown:{inner}", None, "ambiguous", match.group(0), why))
    for p in points:
        _decide(p, decisions)
    return points


def parse_annex(
    document_text: str, decisions: dict | None = None, *, strict: bool = True
) -> AnnexPlan:
    """Read Annex II of ``document_text`` into a plan, applying the recorded ``decisions``.

    Raises ValueError when the annex is missing or malformed, or when a decision is invalid or
    (``strict``, the default) names a point the parser does not report. A later meeting's
    annex is read with the first one's decisions and ``strict=False``: the decisions on
    points it no longer raises are left aside.
    """
    decisions = dict(decisions or {})
    participants, drafts = _read_structure(extract_annex(document_text))
    tasks: list[dict[str, Any]] = []
    task_points: list[Point] = []
    counters: dict[str, int] = {}
    for order, draft in enumerate(drafts, start=1):
        number = counters[draft.term] = counters.get(draft.term, 0) + 1
        code = f"{_PREFIX[draft.term]}{number}"
        text = " ".join(_plain(p) for p in draft.paragraphs)
        responsible, points = _resolve(code, draft.implementation, decisions)
        task_points += points
        tasks.append(
            {
                "code": code,
                "term": draft.term,
                "order": order,
                "title": _title(draft.paragraphs, text),
                "text": text,
                "source_ref": f"Annex II, {draft.term}-term recommendation {number}",
                "implementation": draft.implementation,
                "responsible": responsible,
            }
        )
    points = _check_participants(participants, tasks, decisions) + task_points
    stale = sorted(set(decisions) - {p.id for p in points})
    if stale and strict:
        raise ValueError(f"decisions for points the annex does not raise: {', '.join(stale)}")
    return AnnexPlan(
        organisations=copy.deepcopy(KNOWN_ORGANISATIONS),
        tasks=tasks,
        points=points,
        document_sha256=hashlib.sha256(document_text.encode("utf-8")).hexdigest(),
    )


def plan_to_seed(plan: AnnexPlan, document_sha256: str | None = None) -> dict[str, Any]:
    """The plan as the JSON-ready seed (``seeds/plan.json``), with its provenance."""
    return {
        "source": {
            "document": SEED_DOCUMENT,
            "sha256": document_sha256 or plan.document_sha256,
            "section": "Annex II",
            "meeting": MEETING,
        },
        "organisations": [
            {k: v for k, v in org.items() if k != "aliases"} for org in plan.organisations
        ],
        "tasks": plan.tasks,
        "decisions": [{key: getattr(p, key) for key in _POINT_FIELDS} for p in plan.points],
    }


def dump_seed(seed: dict[str, Any]) -> str:
    """The exact text of the seed file."""
    return json.dumps(seed, indent=2, ensure_ascii=False) + "\n"


def import_annex(document_path: Path, decisions_path: Path, out_path: Path) -> AnnexPlan:
    """Parse ``document_path`` with the decisions of ``decisions_path`` (if it exists) and write
    the seed to ``out_path``; return the plan, whose points the caller may show."""
    raw, decisions_path = Path(document_path).read_bytes(), Path(decisions_path)
    decisions = (
        json.loads(decisions_path.read_text(encoding="utf-8")) if decisions_path.exists() else {}
    )
    plan = parse_annex(raw.decode("utf-8"), decisions)
    seed = plan_to_seed(plan, hashlib.sha256(raw).hexdigest())
    Path(out_path).write_bytes(dump_seed(seed).encode("utf-8"))
    return plan
