"""Accounts and sign-in: passwords, one-time links, roles."""

from __future__ import annotations

import hashlib
import re
import secrets
import string
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

# zxcvbn (Dropbox's password-strength estimator, maintained Python port, MIT, pure Python, no
# network) ships the 30,000 most common passwords from leaked lists, ranked: we use only that
# list, so the rule stays one people can understand ("a common password"), not a score.
from zxcvbn.matching import RANKED_DICTIONARIES

from workplan.audit import record_audit
from workplan.auth.addresses import InvalidEmail, check_email, normalise_email
from workplan.extensions import db
from workplan.models import (
    Digest,
    FocalPointRank,
    Language,
    Organisation,
    Role,
    SignInToken,
    TokenPurpose,
    User,
)
from workplan.models.base import utcnow

MIN_PASSWORD_LENGTH = 12
# Compared against when the e-mail is unknown, so that a failed sign-in takes the same time
# whether or not the account exists.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """A request about an account that cannot be carried out; the message says why."""


class WrongPassword(AccountError):
    """The current password given to change it is not the right one."""


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader, for the session and the remember-me cookie alike.

    ``user_id`` is what ``User.get_id`` gave at sign-in: "<id>:<session generation>". A cookie
    of an earlier generation (signed out, password changed, deactivated since) or of an
    inactive account loads nobody.
    """
    raw_id, _sep, raw_generation = user_id.partition(":")
    try:
        user = db.session.get(User, int(raw_id))
        generation = int(raw_generation)
    except ValueError:
        return None
    if user is None or not user.active or user.session_generation != generation:
        return None
    return user


def end_all_sessions(user: User) -> None:
    """Make every session and remember-me cookie of ``user`` issued so far unusable."""
    user.session_generation += 1


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (without saying which was wrong)."""
    user = find_user(session, email)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    return user


def validate_role(session: Session, role: str, org_code: str | None) -> Organisation | None:
    """Check a role and organisation pair; return the organisation (focal points need one)."""
    if role not in {r.value for r in Role}:
        raise AccountError(f"unknown role {role!r}: use one of {', '.join(r.value for r in Role)}")
    if role == Role.FOCAL_POINT and not org_code:
        raise AccountError("a focal point needs an organisation (--org CODE)")
    if not org_code:
        return None
    org = session.scalar(
        select(Organisation).where(func.lower(Organisation.code) == org_code.strip().lower())
    )
    if org is None:
        raise AccountError(f"no organisation with code {org_code!r}")
    return org


_COMMON_PASSWORDS = RANKED_DICTIONARIES["passwords"]
# What people put around a common word to pass a length rule: "password2026!", "  letmein 1".
_PADDING = string.digits + string.punctuation + string.whitespace


def validate_password(password: str, email: str) -> None:
    """Refuse a password that is short or easy to guess; the message says which rule failed.

    The same rule for the command line and the password form.
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    lowered = password.lower()
    core = lowered.strip(_PADDING)
    address = normalise_email(email)
    if {lowered, core} & {address, address.partition("@")[0]}:
        raise AccountError(_("Do not use your e-mail address as your password."))
    if len(set(lowered)) == 1:
        raise AccountError(_("Do not use one character repeated as your password."))
    repeated = re.fullmatch(r"(.+?)\1+", lowered, flags=re.DOTALL)
    if repeated and len(repeated.group(1)) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("Do not use a short pattern repeated (like “abcabcabcabc”) as your password.")
        )
    if lowered in _COMMON_PASSWORDS or (core and core in _COMMON_PASSWORDS):
        raise AccountError(
            _("This is one of the most common passwords, the first ones tried: choose another.")
        )


@dataclass(frozen=True)
class Contact:
    """What the directory shows of a person and how they are reached; the same for the
    command line, the invitation form and the profile page."""

    title: str = ""
    phone: str = ""
    language: str = Language.EN
    phone_hidden: bool = False


def _check_contact(contact: Contact) -> Contact:
    if contact.language not in {lang.value for lang in Language}:
        raise AccountError(
            f"unknown language {contact.language!r}: use one of "
            f"{', '.join(lang.value for lang in Language)}"
        )
    return Contact(
        title=contact.title.strip()[:200],
        phone=contact.phone.strip()[:50],
        language=contact.language,
        phone_hidden=contact.phone_hidden,
    )


def validate_rank(role: str, rank: str | None) -> str | None:
    """The focal-point rank to store: only focal points have one (main unless told otherwise)."""
    if role != Role.FOCAL_POINT:
        return None
    if rank is None or rank == "":
        return FocalPointRank.MAIN
    if rank not in {r.value for r in FocalPointRank}:
        raise AccountError(
            f"unknown rank {rank!r}: use one of {', '.join(r.value for r in FocalPointRank)}"
        )
    return rank


def create_user(
    session: Session,
    email: str,
    name: str,
    role: str,
    org_code: str | None = None,
    password: str | None = None,
    actor: User | None = None,
    *,
    rank: str | None = None,
    contact: Contact | None = None,
) -> User:
    """Create an account. Without a password, the person signs in with a one-time link."""
    try:
        email = check_email(email)
    except InvalidEmail as error:
        raise AccountError(str(error)) from error
    if not name.strip():
        raise AccountError(_("Enter a name."))
    if find_user(session, email) is not None:
        raise AccountError(_("An account for %(email)s already exists.", email=email))
    org = validate_role(session, role, org_code)
    contact = _check_contact(contact or Contact())
    user = User(
        email=email,
        name=name.strip()[:200],
        role=role,
        organisation=org,
        focal_point_rank=validate_rank(role, rank),
        title=contact.title,
        phone=contact.phone,
        phone_hidden=contact.phone_hidden,
        language=contact.language,
    )
    if password is not None:
        validate_password(password, email)
        user.password_hash = generate_password_hash(password)
    session.add(user)
    session.flush()
    record_audit(session, actor, "user.create", user, after=describe_user(user))
    return user


def describe_user(user: User) -> dict[str, object]:
    return {
        "email": user.email,
        "name": user.name,
        "role": user.role,
        "organisation": user.organisation.code if user.organisation else None,
        "focal_point_rank": user.focal_point_rank,
        "title": user.title,
        "phone": user.phone,
        "phone_hidden": user.phone_hidden,
        "language": user.language,
        "digest": user.digest,
        "active": user.active,
    }


def set_role(
    session: Session,
    user: User,
    role: str,
    org_code: str | None,
    actor: User | None = None,
    *,
    rank: str | None = None,
) -> None:
    """Change the role, organisation and focal-point rank (one audit entry for the change).

    Without ``org_code`` the person keeps their organisation; without ``rank`` a focal point
    keeps theirs (a new focal point is the main one).
    """
    before = describe_user(user)
    org = validate_role(session, role, org_code or (user.organisation and user.organisation.code))
    user.role = role
    user.organisation = org
    user.focal_point_rank = validate_rank(role, rank or user.focal_point_rank)
    record_audit(session, actor, "user.set_role", user, before=before, after=describe_user(user))


def update_profile(
    session: Session, user: User, name: str, contact: Contact, digest: str, actor: User | None
) -> None:
    """Change what a person says about themselves (their profile page)."""
    if not name.strip():
        raise AccountError(_("Enter a name."))
    if digest not in {d.value for d in Digest}:
        raise AccountError(f"unknown digest choice {digest!r}")
    contact = _check_contact(contact)
    before = describe_user(user)
    user.name = name.strip()[:200]
    user.title = contact.title
    user.phone = contact.phone
    user.phone_hidden = contact.phone_hidden
    user.language = contact.language
    user.digest = digest
    after = describe_user(user)
    if after != before:
        record_audit(session, actor, "user.update_profile", user, before=before, after=after)


def deactivate(session: Session, user: User, actor: User | None = None) -> None:
    before = describe_user(user)
    user.active = False
    end_all_sessions(user)
    # Links issued before deactivation must not work afterwards.
    _revoke_unused_links(session, user)
    record_audit(session, actor, "user.deactivate", user, before=before, after=describe_user(user))


def reactivate(session: Session, user: User, actor: User | None = None) -> None:
    """Let a deactivated person sign in again, with the password they had (if any); their
    sessions and links from before the deactivation stay ended."""
    if user.active:
        raise AccountError(f"{user.email} is already active")
    before = describe_user(user)
    user.active = True
    record_audit(session, actor, "user.reactivate", user, before=before, after=describe_user(user))


def needs_current_password(user: User, signed_in_by_link: bool) -> bool:
    """Whether changing the password asks for the current one.

    It does when there is one, unless the person has just signed in with a one-time link (the
    way back in for someone who forgot it).
    """
    return bool(user.password_hash) and not signed_in_by_link


def set_password(
    session: Session, user: User, password: str, current_password: str | None = None
) -> None:
    """Set a new password and end every session of ``user`` (the caller signs the current
    one in again). ``current_password``, when given, must be the password in use."""
    if current_password is not None and not (
        user.password_hash and check_password_hash(user.password_hash, current_password)
    ):
        raise WrongPassword(_("The current password is not correct."))
    validate_password(password, user.email)
    user.password_hash = generate_password_hash(password)
    end_all_sessions(user)
    record_audit(session, user, "user.set_password", user)


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _revoke_unused_links(session: Session, user: User, purpose: str | None = None) -> None:
    """Make ``user``'s unused links (of ``purpose`` only, when given) unusable."""
    query = update(SignInToken).where(SignInToken.user_id == user.id, SignInToken.used_at.is_(None))
    if purpose is not None:
        query = query.where(SignInToken.purpose == purpose)
    session.execute(query.values(used_at=utcnow()))


def issue_sign_in_token(
    session: Session,
    user: User,
    max_age_seconds: int,
    *,
    purpose: str = TokenPurpose.SIGN_IN,
    next_path: str | None = None,
    assignment_id: int | None = None,
    expires_at: datetime | None = None,
) -> str:
    """Create a one-time link token for ``user``; only its hash is stored.

    A plain sign-in link (invitation, new link, forgotten password) replaces the person's
    earlier ones. A reminder's links (``purpose`` "report" or "no_change", one pair per share,
    leading to ``next_path``) replace nothing: one reminder carries many, all usable until
    ``expires_at`` (the cut-off).
    """
    if not user.active:
        raise AccountError(f"{user.email} is deactivated")
    if purpose == TokenPurpose.SIGN_IN:
        # Only the newest link works: one sent earlier and forgotten in a mailbox is no way in.
        _revoke_unused_links(session, user, TokenPurpose.SIGN_IN)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        SignInToken(
            user=user,
            token_hash=_hash_token(token),
            purpose=purpose,
            next_path=next_path,
            assignment_id=assignment_id,
            created_at=now,
            expires_at=expires_at or now + timedelta(seconds=max_age_seconds),
        )
    )
    session.flush()
    return token


@dataclass(frozen=True)
class TokenCheck:
    user: User | None
    problem: str | None  # "unknown", "used", "expired", "inactive"
    # What the link does once used (see TokenPurpose), and where it leads; kept for a used or
    # expired link too, so that the sign-in page can lead to the same place.
    purpose: str = TokenPurpose.SIGN_IN
    next_path: str | None = None
    assignment_id: int | None = None


def _check(row: SignInToken, user: User | None, problem: str | None) -> TokenCheck:
    return TokenCheck(user, problem, row.purpose, row.next_path, row.assignment_id)


def check_sign_in_token(session: Session, token: str) -> TokenCheck:
    """Say whether a token can be used, without using it."""
    row = session.scalar(select(SignInToken).where(SignInToken.token_hash == _hash_token(token)))
    if row is None:
        return TokenCheck(None, "unknown")
    if row.used_at is not None:
        return _check(row, None, "used")
    if row.expires_at <= utcnow():
        return _check(row, None, "expired")
    if not row.user.active:
        return _check(row, None, "inactive")
    return _check(row, row.user, None)


def redeem_sign_in_token(session: Session, token: str) -> TokenCheck:
    """Use a token: it signs in once, then never again.

    The token is claimed by one conditional UPDATE, so that of two requests racing with the
    same link exactly one gets in (a check followed by a write let both through).
    """
    now = utcnow()
    claimed = session.execute(
        update(SignInToken)
        .where(
            SignInToken.token_hash == _hash_token(token),
            SignInToken.used_at.is_(None),
            SignInToken.expires_at > now,
        )
        .values(used_at=now)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return check_sign_in_token(session, token)  # says why: unknown, used or expired
    row = session.scalar(select(SignInToken).where(SignInToken.token_hash == _hash_token(token)))
    assert row is not None  # nosec B101 # claimed by the UPDATE just above
    if not row.user.active:
        return _check(row, None, "inactive")  # the caller rolls back, leaving the link unused
    record_audit(session, row.user, "user.sign_in_link", row.user)
    return _check(row, row.user, None)


def note_sign_in(user: User) -> None:
    user.last_sign_in_at = utcnow()
