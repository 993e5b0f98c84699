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
    "distr_general": (
        "Distr.: GENERAL",
        "Distr. GÉNÉRALE",
    ),
    "distr_restricted": (
        "Distr.: RESTRICTED",
        "Distr. RESTREINTE",
    ),
    "original": ("Original: English", "Original: anglais"),
    "restricted_mark": ("RESTRICTED — internal", "RESTREINT — usage interne"),
    "page": ("Page", "Page"),
    "contents": ("Contents", "Table des matières"),
    "summary": ("Summary", "Résumé"),
    "meeting_title": (
        "Status of the work plan at the reporting cut-off",
        "État d'avancement du plan de travail à la date limite de communication des informations",
    ),
    "meeting_summary": (
        "This report presents the state of the work plan agreed by the focal points on 14 "
        "December 2012 as reported by {cutoff}, the reporting cut-off for the {meeting}: "
        "{recs} recommendations shared among {orgs} organisations, {shares} shares in all.",
        "Le présent rapport présente l'état du plan de travail adopté par les coordonnateurs "
        "le 14 décembre 2012, tel qu'il a été communiqué au {cutoff}, date limite de "
        "communication des informations pour la {meeting} : {recs} recommandations partagées "
        "entre {orgs} organisations, soit {shares} tâches au total.",
    ),
    "s_status_by_term": ("Status by term", "État d'avancement par échéance"),
    "status_by_term_intro": (
        "The first table counts the organisations' shares of the recommendations of each term "
        "by their status at the cut-off; a share is implemented when it is completed or an "
        "ongoing practice. Percentages are truncated: 99.6 % is shown as 99 %.",
        "Le premier tableau dénombre, pour chaque échéance, les tâches des organisations "
        "selon leur état à la date limite ; une tâche est mise en œuvre lorsqu'elle est "
        "achevée ou devenue une pratique établie. Les pourcentages sont tronqués : 99,6 % "
        "s'affiche 99 %.",
    ),
    "term": ("Term", "Échéance"),
    "s_changes": (
        "Changes since the previous meeting",
        "Changements depuis la réunion précédente",
    ),
    "changes_counts": (
        "Since the previous cut-off {regressions} shares moved back, {completed} were "
        "completed, {blocked} were newly blocked and {unblocked} were unblocked. Moves back "
        "are listed first.",
        "Depuis la date limite précédente, {regressions} tâches ont reculé, {completed} ont "
        "été achevées, {blocked} ont été nouvellement bloquées et {unblocked} ont été "
        "débloquées. Les reculs figurent en premier.",
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
    "overall": (
        "Lead: {leads}. Overall: {status}, average progress {progress} %.",
        "Chef de file : {leads}. Ensemble : {status}, avancement moyen {progress} %.",
    ),
    "open_blockers": ("Open blockers", "Obstacles en suspens"),
    "s_not_reported": (
        "Shares not reported since the previous cut-off",
        "Tâches sans information depuis la date limite précédente",
    ),
    "not_reported_intro": (
        "{shares} shares of {orgs} organisations had no report between the previous cut-off "
        "and {cutoff}, even where the organisation reported on other recommendations:",
        "{shares} tâches de {orgs} organisations n'ont fait l'objet d'aucune information "
        "entre la date limite précédente et le {cutoff}, même lorsque l'organisation a "
        "communiqué des informations sur d'autres recommandations :",
    ),
    "all_reported": (
        "Every share was reported on since the previous cut-off.",
        "Toutes les tâches ont fait l'objet d'informations depuis la date limite précédente.",
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
        "Annex I. Recommendations by organisation",
        "Annexe I. Recommandations par organisation",
    ),
    "annex_focal_points": (
        "Annex II. Focal points",
        "Annexe II. Coordonnateurs",
    ),
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
    "change": (
        "Change",
        "Changement",
    ),
    "restricted_flag": (
        "RESTRICTED",
        "RESTREINT",
    ),
    "page_of": (
        "Page {page} of {total}",
        "Page {page} sur {total}",
    ),
    "term_implemented": (
        "{term}: {done} of {shares} shares implemented ({percent} %)",
        "{term} : {done} tâches sur {shares} mises en œuvre ({percent} %)",
    ),
    "implemented_sentence": (
        "A share is implemented when it is completed or an ongoing practice. {terms}.",
        "Une tâche est mise en œuvre lorsqu'elle est achevée ou devenue une pratique établie. "
        "{terms}.",
    ),
    # Counts after a colon, so that the sentence reads right for 1 as for 21.
    "attention_sentence": (
        "Since the previous cut-off: shares completed, {completed}; shares moved back, "
        "{regressions} (section II); shares not reported, {silent} (section III); blockers "
        "open for the meeting's decision, {blockers}, of which escalated, {escalated} "
        "(section IV).",
        "Depuis la date limite précédente : tâches achevées, {completed} ; tâches en recul, "
        "{regressions} (section II) ; tâches sans information, {silent} (section III) ; "
        "obstacles en suspens pour décision de la réunion, {blockers}, dont portés à un "
        "niveau supérieur, {escalated} (section IV).",
    ),
    "averages_intro": (
        "The second table gives averages, not counts: the average progress of the term's "
        "recommendations, each recommendation's progress being the average of its shares' "
        "progress.",
        "Le second tableau donne des moyennes, et non des nombres : l'avancement moyen des "
        "recommandations de l'échéance, l'avancement de chaque recommandation étant la "
        "moyenne de celui de ses tâches.",
    ),
    "shares_by_status": (
        "Table 1. Number of shares by status",
        "Tableau 1. Nombre de tâches par état",
    ),
    "average_progress": (
        "Table 2. Average progress of the recommendations (%)",
        "Tableau 2. Avancement moyen des recommandations (%)",
    ),
    "recommendations": (
        "Recommendations",
        "Recommandations",
    ),
    "shares": (
        "Shares",
        "Tâches",
    ),
    "implemented": (
        "Implemented",
        "Mises en œuvre",
    ),
    "implemented_before": (
        "Implemented at the previous cut-off",
        "Mises en œuvre à la date limite précédente",
    ),
    "average_before": (
        "Average progress at the previous cut-off (%)",
        "Avancement moyen à la date limite précédente (%)",
    ),
    "average_now": (
        "Average progress at this cut-off (%)",
        "Avancement moyen à cette date limite (%)",
    ),
    "averages_sheet": (
        "Averages",
        "Moyennes",
    ),
    "from_to": (
        "From → to",
        "Avant → après",
    ),
    "kind_regression": (
        "Moved back",
        "Recul",
    ),
    "kind_newly_completed": (
        "Completed",
        "Achèvement",
    ),
    "kind_newly_blocked": (
        "Blocked",
        "Blocage",
    ),
    "kind_unblocked": (
        "Unblocked",
        "Déblocage",
    ),
    "no_open_blocker": (
        "no open blocker",
        "aucun obstacle",
    ),
    "changes_sheet": (
        "Changes",
        "Changements",
    ),
    "last_report": (
        "Last report",
        "Dernière information",
    ),
    "time_since": (
        "Time since",
        "Depuis",
    ),
    "never_reported": (
        "never reported",
        "jamais",
    ),
    "days": (
        "{n} days",
        "{n} jours",
    ),
    "months": (
        "{n} months",
        "{n} mois",
    ),
    "not_reported_sheet": (
        "Not reported",
        "Sans information",
    ),
    "age_days": (
        "Age (days)",
        "Ancienneté (jours)",
    ),
    "asked": (
        "What is asked",
        "Ce qui est demandé",
    ),
    "help_from": (
        "Help from",
        "Aide demandée à",
    ),
    "raised_by": (
        "Raised by",
        "Signalé par",
    ),
    "recommendations_intro": (
        "Each recommendation is given with its text from annex II of the work plan, its lead "
        "organisations and, for each organisation, its status, progress, last report and the "
        "beginning of its latest narrative. Completed recommendations take one line.",
        "Chaque recommandation figure avec son texte tiré de l'annexe II du plan de travail, "
        "ses organisations chefs de file et, pour chaque organisation, son état, son "
        "avancement, sa dernière information et le début de son dernier exposé. Les "
        "recommandations achevées tiennent en une ligne.",
    ),
    "completed_line": (
        "{code}. {title}: completed by all {n} organisations.",
        "{code}. {title} : achevée par les {n} organisations.",
    ),
    "no_lead": (
        "none",
        "aucun",
    ),
    "blocker_line": (
        "Open blocker ({org}), {category}: {description}",
        "Obstacle en suspens ({org}), {category} : {description}",
    ),
    "matrix_legend": (
        "Symbols: {symbols}. An asterisk (*) marks a lead organisation.",
        "Symboles : {symbols}. Un astérisque (*) désigne une organisation chef de file.",
    ),
    "lead_legend": (
        "An asterisk (*) marks a lead organisation.",
        "Un astérisque (*) désigne une organisation chef de file.",
    ),
    "log_in_workbook": (
        "The full log of the {count} reports received since the previous cut-off is too long "
        "to print: it is in the Excel version of this report (sheet “Updates”).",
        "Le journal complet des {count} informations reçues depuis la date limite précédente "
        "est trop long pour être imprimé : il figure dans la version Excel du présent rapport "
        "(feuille « Informations »).",
    ),
    "focal_points_sheet": (
        "Focal points",
        "Coordonnateurs",
    ),
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
