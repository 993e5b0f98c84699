"""The organisations of the network: the regional mechanisms and the OHCHR units.

Canonical codes and names (PRODUCT.md), French names (GLOSSARY.md) and the other spellings the
source document uses for them (``aliases``), in the order the plan lists them.
"""

from __future__ import annotations

from typing import Any


def _org(code: str, name: str, name_fr: str, region: str | None, *aliases: str) -> dict[str, Any]:
    kind = "ohchr" if region is None else "rhrm"
    return dict(code=code, name=name, name_fr=name_fr, kind=kind, region=region, aliases=[*aliases])


KNOWN_ORGANISATIONS: list[dict[str, Any]] = [
    _org("ACHPR", "African Commission on Human and Peoples' Rights",
         "Commission africaine des droits de l'homme et des peuples", "Africa", "ACPHR"),
    _org("AfHPR", "African Court on Human and Peoples' Rights",
         "Cour africaine des droits de l'homme et des peuples", "Africa", "AfHR"),
    _org("ECOWAS CJ", "Economic Community of West African States (ECOWAS) Court of Justice",
         "Cour de justice de la Communauté économique des États de l'Afrique de l'Ouest",
         "Africa", "ECOWAS Court of Justice"),
    _org("IACHR", "Inter-American Commission on Human Rights",
         "Commission interaméricaine des droits de l'homme", "Americas"),
    _org("IACourtHR", "Inter-American Court of Human Rights",
         "Cour interaméricaine des droits de l'homme", "Americas"),
    _org("CoE", "Council of Europe, Directorate General of Human Rights and Rule of Law",
         "Conseil de l'Europe (direction générale Droits de l'homme et État de droit)", "Europe"),
    _org("ODIHR", "OSCE Office for Democratic Institutions and Human Rights",
         "Bureau des institutions démocratiques et des droits de l'homme (OSCE)", "Europe"),
    _org("AICHR", "ASEAN Intergovernmental Commission on Human Rights",
         "Commission intergouvernementale des droits de l'homme de l'ASEAN", "Asia-Pacific"),
    _org("ACWC",
         "ASEAN Commission on the Promotion and Protection of the Rights of Women and Children",
         "Commission de la promotion et de la protection des droits des femmes et des enfants "
         "de l'ASEAN", "Asia-Pacific"),
    _org("IPHRC",
         "Organization of Islamic Cooperation (OIC) Independent Permanent Human Rights Commission",
         "Commission permanente indépendante des droits de l'homme de l'Organisation de la "
         "coopération islamique", "Middle East and OIC"),
    _org("AHRC", "League of Arab States (LAS) Arab Human Rights Committee",
         "Comité arabe des droits de l'homme (Ligue des États arabes)", "Middle East and OIC"),
    _org("NIRMS", "National Institutions and Regional Mechanisms Section",
         "Section des institutions nationales et des mécanismes régionaux", None),
    _org("FOTCD", "Field Operations and Technical Cooperation Division",
         "Division des opérations hors Siège et de la coopération technique", None),
    _org("SPB", "Special Procedures Branch", "Service des procédures spéciales", None),
    _org("UPR", "Universal Periodic Review Section",
         "Section de l'Examen périodique universel", None),
    _org("HRTD", "Human Rights Treaties Division",
         "Division des traités relatifs aux droits de l'homme", None),
    _org("RDD", "Research and Right to Development Division",
         "Division de la recherche et du droit au développement", None),
]  # fmt: skip

RHRM_CODES = tuple(o["code"] for o in KNOWN_ORGANISATIONS if o["kind"] == "rhrm")
OHCHR_CODES = tuple(o["code"] for o in KNOWN_ORGANISATIONS if o["kind"] == "ohchr")
