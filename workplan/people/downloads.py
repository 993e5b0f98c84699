"""The directory as files: CSV for spreadsheets, vCard 3.0 for address books."""

from __future__ import annotations

from collections.abc import Iterable

import vobject
from flask_babel import gettext as _
from flask_babel import pgettext

from workplan.display import label
from workplan.exports.tabular import csv_bytes
from workplan.people.labels import RANK_LABELS, RANK_TITLES
from workplan.people.queries import DirectoryGroup, Listing


def _listings(groups: Iterable[DirectoryGroup]) -> list[Listing]:
    return [person for group in groups for person in group.people]


def directory_csv(groups: Iterable[DirectoryGroup]) -> bytes:
    """One row per focal point; text is made formula-safe by ``csv_bytes``."""
    header = [
        _("Organisation code"),
        _("Organisation"),
        _("Focal point"),
        _("Name"),
        pgettext("person", "Title"),
        _("E-mail"),
        _("Phone"),
    ]
    rows = [
        [
            p.organisation_code,
            p.organisation_name,
            label(RANK_LABELS, p.rank),
            p.name,
            p.title,
            p.email,
            p.phone,
        ]
        for p in _listings(groups)
    ]
    return csv_bytes(header, rows)


def _card(person: Listing) -> vobject.base.Component:
    card = vobject.vCard()  # VERSION:3.0
    card.add("fn").value = person.name
    # vCard 3.0 requires N. Names are not reliably "given family" across the network's
    # regions: the last word goes in the family part (what address books do when importing
    # a single name) and FN keeps the name exactly as the person wrote it.
    given, _sep, family = person.name.rpartition(" ")
    card.add("n").value = vobject.vcard.Name(family=family, given=given)
    card.add("org").value = [person.organisation_name]
    if person.title:
        card.add("title").value = person.title
    email = card.add("email")
    email.value = person.email
    email.type_param = "INTERNET"
    if person.phone:
        tel = card.add("tel")
        tel.value = person.phone
        tel.type_param = "WORK"
    card.add("note").value = f"{label(RANK_TITLES, person.rank)} – {person.organisation_code}"
    return card


def directory_vcards(groups: Iterable[DirectoryGroup]) -> bytes:
    """One vCard 3.0 per focal point, folded and escaped by vobject, with CRLF line ends."""
    return "".join(_card(p).serialize() for p in _listings(groups)).encode("utf-8")
