"""The words of the reports, in English and in French.

A report's language is a parameter of its run, not the requester's browser language, so the
words are looked up here by language rather than through the interface's translations. The
English labels of codes (statuses, terms, blocker categories) are the interface's own
(``workplan.display``, ``workplan.reporting.labels``); the French ones use the UN terms of
the glossary (``coordonnateur``, ``recommandations à court terme``...).
"""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date

from workplan.display import STATUS_LABELS, TERM_LABELS
from workplan.reporting.labels import BLOCKER_STATUS_LABELS, CATEGORY_LABELS

LANGUAGES = {"en": "English", "fr": "Français"}
BABEL_LOCALES = {"en": "en_GB", "fr": "fr_FR"}

FRENCH_CODES = {
    "status": {
        "not_started": "Non commencé",
        "in_progress": "En cours",
        "ongoing": "Pratique établie",
        "completed": "Achevé",
        "on_hold": "Suspendu",
    },
    "term": {
        "short": "Recommandations à court terme",
        "mid": "Recommandations à moyen terme",
        "long": "Recommandations à long terme",
    },
    "category": {
        "resources": "Ressources",
        "administrative": "Obstacles administratifs",
        "confidentiality": "Confidentialité",
        "political": "Volonté politique",
        "other": "Autre",
    },
    "blocker_status": {
        "open": "Ouvert",
        "acknowledged": "Pris en compte",
        "escalated": "Porté à un niveau supérieur",
        "resolved": "Résolu",
    },
}
ENGLISH_CODES = {
    "status": STATUS_LABELS,
    "term": TERM_LABELS,
    "category": CATEGORY_LABELS,
    "blocker_status": BLOCKER_STATUS_LABELS,
}

TEXT: dict[str, tuple[str, str]] = {
    "network": (
        "Focal points for cooperation between United Nations and regional human rights mechanisms",
        "Coordonnateurs de la coopération entre les mécanismes de l'ONU relatifs aux droits de "
        "l'homme et les mécanismes régionaux des droits de l'homme",
    ),
    "distr_general": ("Distr.: general", "Distr. générale"),
    "distr_restricted": ("Distr.: restricted", "Distr. restreinte"),
    "original": ("Original: English", "Original: anglais"),
    "restricted_mark": ("RESTRICTED — internal", "RESTREINT — usage interne"),
    "page": ("Page", "Page"),
    "contents": ("Contents", "Table des matières"),
    "toc_hint": (
        "(Update the field to show page numbers: right-click, then Update Field.)",
        "(Mettre à jour le champ pour afficher les numéros de page : clic droit, puis Mettre "
        "à jour les champs.)",
    ),
    "summary": ("Summary", "Résumé"),
    "meeting_title": (
        "Status of the work plan at the reporting cut-off",
        "État d'avancement du plan de travail à la date limite de communication des informations",
    ),
    "meeting_summary": (
        "This report presents the state of the work plan agreed by the focal points on "
        "14 December 2012 as reported by {cutoff}, the reporting cut-off for the {meeting}. "
        "The plan has {recs} recommendations shared among {orgs} organisations. {terms} "
        "Since the previous reporting cut-off, {moved} assignments changed status and "
        "{completed} were completed; {blockers} blockers remain open ({escalated} of them "
        "escalated), listed in section IV for the meeting's decision.",
        "Le présent rapport présente l'état du plan de travail adopté par les coordonnateurs "
        "le 14 décembre 2012, tel qu'il a été communiqué au {cutoff}, date limite de "
        "communication des informations pour la {meeting}. Le plan comprend {recs} "
        "recommandations partagées entre {orgs} organisations. {terms} Depuis la date limite "
        "précédente, {moved} tâches ont changé d'état et {completed} ont été achevées ; "
        "{blockers} obstacles restent en suspens (dont {escalated} portés à un niveau "
        "supérieur), énumérés à la section IV pour décision de la réunion.",
    ),
    "term_progress": (
        "{term}: {progress} % implemented.",
        "{term} : mise en œuvre à {progress} %.",
    ),
    "s_status_by_term": ("Status by term", "État d'avancement par échéance"),
    "status_by_term_intro": (
        "The table shows how many organisations' shares of the recommendations of each term "
        "stood at each status at the cut-off, and the average progress of the term at this "
        "cut-off and at the previous one.",
        "Le tableau indique, pour chaque échéance, le nombre de tâches des organisations "
        "selon leur état à la date limite, ainsi que l'avancement moyen à cette date et à la "
        "date limite précédente.",
    ),
    "term": ("Term", "Échéance"),
    "previous_cutoff": (
        "Progress at the previous cut-off (%)",
        "Avancement à la date limite précédente (%)",
    ),
    "this_cutoff": ("Progress at this cut-off (%)", "Avancement à cette date limite (%)"),
    "s_changes": ("Progress since the previous meeting", "Progrès depuis la réunion précédente"),
    "changes_counts": (
        "{moved} assignments changed status, {completed} were newly completed, {blocked} were "
        "newly blocked and {unblocked} were unblocked.",
        "{moved} tâches ont changé d'état, {completed} ont été achevées, {blocked} ont été "
        "nouvellement bloquées et {unblocked} ont été débloquées.",
    ),
    "no_previous": (
        "No earlier meeting is recorded: every change is counted from the start of the plan.",
        "Aucune réunion antérieure n'est enregistrée : les changements sont comptés depuis "
        "l'adoption du plan.",
    ),
    "s_recommendations": (
        "Implementation of the recommendations",
        "Mise en œuvre des recommandations",
    ),
    "organisation": ("Organisation", "Organisation"),
    "status": ("Status", "État"),
    "progress": ("Progress", "Avancement"),
    "latest_report": ("Latest report", "Dernière information communiquée"),
    "reported_on": ("Reported on", "Communiqué le"),
    "no_report": ("No report", "Aucune information"),
    "lead": ("lead", "chef de file"),
    "overall": ("Overall: {status}, {progress} %.", "Ensemble : {status}, {progress} %."),
    "open_blockers": ("Open blockers", "Obstacles en suspens"),
    "s_not_reported": (
        "Organisations that did not report",
        "Organisations n'ayant pas communiqué d'informations",
    ),
    "not_reported_intro": (
        "The following organisations sent no report between the previous cut-off and {cutoff}:",
        "Les organisations suivantes n'ont communiqué aucune information entre la date limite "
        "précédente et le {cutoff} :",
    ),
    "all_reported": (
        "Every organisation reported during the period.",
        "Toutes les organisations ont communiqué des informations pendant la période.",
    ),
    "s_decisions": (
        "Blockers requiring a decision of the meeting",
        "Obstacles appelant une décision de la réunion",
    ),
    "decisions_intro": (
        "The following blockers were open at the cut-off; escalated ones are listed first.",
        "Les obstacles suivants étaient en suspens à la date limite ; ceux qui ont été portés "
        "à un niveau supérieur figurent en premier.",
    ),
    "no_blockers": ("No blocker was open.", "Aucun obstacle n'était en suspens."),
    "recommendation": ("Recommendation", "Recommandation"),
    "category": ("Category", "Catégorie"),
    "description": ("Description", "Description"),
    "raised_on": ("Raised on", "Signalé le"),
    "last_comment": ("Latest comment", "Dernier commentaire"),
    "annexes": ("Annexes", "Annexes"),
    "annex_matrix": (
        "Annex I: Recommendations by organisation",
        "Annexe I : Recommandations par organisation",
    ),
    "annex_updates": (
        "Annex II: Reports received since the previous meeting",
        "Annexe II : Informations reçues depuis la réunion précédente",
    ),
    "annex_focal_points": ("Annex III: Focal points", "Annexe III : Coordonnateurs"),
    "date": ("Date", "Date"),
    "narrative": ("Narrative", "Exposé"),
    "name": ("Name", "Nom"),
    "email": ("E-mail", "Courriel"),
    "code": ("Code", "Code"),
    "title": ("Title", "Titre"),
    "org_title": (
        "Report of {org} on its implementation of the work plan",
        "Rapport de {org} sur la mise en œuvre du plan de travail",
    ),
    "org_summary": (
        "This report covers the period from {start} to {end}. {org} shares {count} "
        "recommendations of the work plan; during the period it sent {updates} reports and "
        "{blockers} blockers were open at the end of the period.",
        "Le présent rapport couvre la période du {start} au {end}. {org} participe à {count} "
        "recommandations du plan de travail ; pendant la période, elle a communiqué {updates} "
        "informations et {blockers} obstacles étaient en suspens à la fin de la période.",
    ),
    "s_assignments": ("Assignments", "Tâches"),
    "s_updates": ("Reports during the period", "Informations communiquées pendant la période"),
    "no_updates": ("No report during the period.", "Aucune information pendant la période."),
    "s_blockers": ("Blockers", "Obstacles"),
    "blockers_title": (
        "Blockers in the implementation of the work plan",
        "Obstacles à la mise en œuvre du plan de travail",
    ),
    "blockers_summary": (
        "This report lists the {count} blockers open on {at}, by recommendation.",
        "Le présent rapport énumère les {count} obstacles en suspens au {at}, par recommandation.",
    ),
    "total": ("Total", "Total"),
    "summary_sheet": ("Summary", "Résumé"),
    "matrix_sheet": ("Matrix", "Matrice"),
    "updates_sheet": ("Updates", "Informations"),
    "blockers_sheet": ("Blockers", "Obstacles"),
    "assignments_sheet": ("Assignments", "Tâches"),
    "visibility": ("Visibility", "Visibilité"),
    "restricted": ("restricted", "restreint"),
    "network_visible": ("network", "réseau"),
    "meeting": ("Meeting", "Réunion"),
    "place": ("Place", "Lieu"),
    "cutoff": ("Reporting cut-off", "Date limite de communication des informations"),
    "generated": ("Generated", "Établi le"),
    "version": ("Version", "Version"),
    "internal_version": (
        "Internal version: includes restricted entries",
        "Version interne : comprend les éléments restreints",
    ),
    "circulation_version": ("For circulation", "Pour diffusion"),
    "period": ("Period", "Période"),
    "status_before": ("Status at the previous cut-off", "État à la date limite précédente"),
    "change": ("Change", "Changement"),
    "newly_completed": ("completed", "achevée"),
    "newly_blocked": ("newly blocked", "nouvellement bloquée"),
    "unblocked": ("unblocked", "débloquée"),
}


def text(language: str, key: str, **values: object) -> str:
    """The sentence ``key`` in ``language`` with ``values`` filled in."""
    english, french = TEXT[key]
    template = french if language == "fr" else english
    return template.format(**values) if values else template


def code_label(language: str, kind: str, code: str | None) -> str:
    """The label of a status, term, blocker category or blocker status code."""
    if code is None:
        return ""
    table = FRENCH_CODES[kind] if language == "fr" else ENGLISH_CODES[kind]
    return str(table.get(code, code))


def long_date(language: str, value: date | datetime | None) -> str:
    """A date written out, UN style: "14 December 2012" / "14 décembre 2012"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return format_date(value, format="long", locale=BABEL_LOCALES.get(language, "en_GB"))


def organisation_name(language: str, org: object) -> str:
    name_fr = getattr(org, "name_fr", None)
    return str(name_fr if language == "fr" and name_fr else getattr(org, "name", ""))


def cell_text(value: object, language: str) -> str:
    """A table cell's value as printed in Word and PDF: dates written out, a tick for yes."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, (datetime, date)):
        return long_date(language, value)
    return str(value)
