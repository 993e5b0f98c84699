"""The one rule for e-mail addresses, shared by the command line and every form.

email-validator checks the syntax; deliverability is not checked (no DNS look-up: an
installation may have no resolver, and an address is proven by the one-time link sent to it).
Internal installations use addresses under ``.local`` or ``.test`` (the default coordinator
is ``coordinator@workplan.local``), which email-validator refuses as special-use names: they are
allowed here.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from wtforms import Field, ValidationError
from wtforms.form import BaseForm

# Private top-level names an installation may give its own addresses.
PRIVATE_SUFFIXES = ("local", "test")
# Appended to a private name while email-validator checks it, so that the rest of the domain is
# still checked in full; removed again from the result.
_STAND_IN_TLD = ".example"


class InvalidEmail(ValueError):
    """An e-mail address that is refused; the message says why."""


def normalise_email(email: str) -> str:
    """The form an address is stored and looked up in (no validation: a lookup just misses)."""
    return email.strip().lower()


def _is_private(domain: str) -> bool:
    # A name under the private suffix, never the bare suffix ("x@local" lacks a domain).
    return any(domain.endswith("." + suffix) for suffix in PRIVATE_SUFFIXES)


def check_email(email: str) -> str:
    """Return ``email`` normalised, or raise :class:`InvalidEmail` saying what is wrong."""
    address = normalise_email(email)
    domain = address.rpartition("@")[2]
    private = _is_private(domain)
    try:
        result = validate_email(
            address + _STAND_IN_TLD if private else address,
            check_deliverability=False,
        )
    except EmailNotValidError as error:
        # email-validator explains in English only; the sentence around it is translated.
        raise InvalidEmail(
            _("Not a valid e-mail address: %(reason)s", reason=str(error))
        ) from error
    normalised = result.normalized.lower()
    return normalised.removesuffix(_STAND_IN_TLD) if private else normalised


class EmailAddress:
    """WTForms validator applying :func:`check_email` (same rule, same reason as the CLI)."""

    def __call__(self, form: BaseForm, field: Field) -> None:
        if not field.data:
            return  # DataRequired says that the field is empty.
        try:
            check_email(field.data)
        except InvalidEmail as error:
            raise ValidationError(str(error)) from error
