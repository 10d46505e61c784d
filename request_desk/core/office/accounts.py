"""Passwords and signing in: who acts at the desk must be true (issue 16; docs/SECURITY.md).

A password is kept only as an argon2id hash (argon2-cffi, the library made for
it), never stored, logged or audited in clear. The office's policy
(``OfficeSettings.password_min_length``, ``lockout_attempts``,
``lockout_minutes``) decides what a password must be and how many failures lock
an account, and for how long. Every sign-in, failed sign-in and lock-out is an
audit entry; a failed attempt names the account tried, never the password.

A password an administrator sets (a new user's first one, a reset) must be
changed at the next sign-in: ``SignedIn.must_change_password`` tells the caller
to ask for a new one before anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, select

from request_desk.core.deadlines.clock import OFFICE_TZ
from request_desk.core.errors import DeskError, ValidationFailed
from request_desk.core.office import permissions
from request_desk.core.office import settings as office_settings
from request_desk.core.storage.audit import audit
from request_desk.core.storage.db import Database
from request_desk.core.storage.models import User

_HASHER = PasswordHasher()  # argon2id with the library's current parameters


class SignInFailed(DeskError):
    """Wrong name or password, a deactivated or locked account: nothing more is said to a stranger."""


class FirstPasswordNeeded(SignInFailed):
    """An office upgraded from before passwords: its manager chooses the first one (``set_first_password``)."""


@dataclass(frozen=True)
class SignedIn:
    username: str
    display_name: str
    role: str
    must_change_password: bool


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _aware(moment: datetime) -> datetime:
    # SQLite gives the stored UTC time back without its zone.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def hash_password(password: str) -> str:
    """The argon2id hash to store (the policy is the caller's: ``set_password`` checks it)."""
    return _HASHER.hash(password)


def check_policy(session: Session, password: str) -> None:
    """Refuse a password the office's policy does not allow (the message says what it needs)."""
    minimum = office_settings.load(session).password_min_length
    if len(password) < minimum:
        raise ValidationFailed(f"密码至少{minimum}位。")
    if password.isdigit() or password.isalpha():
        raise ValidationFailed("密码须同时包含字母和数字（或符号）。")


def set_password(session: Session, user: User, password: str, actor: str, *, temporary: bool) -> None:
    """Hash and store ``password`` in the caller's transaction; ``temporary``: to be changed at next sign-in."""
    check_policy(session, password)
    user.password_hash = hash_password(password)
    user.must_change_password = temporary
    user.failed_sign_ins = 0
    user.locked_until = None
    session.add(user)
    audit(session, actor, "reset_password" if temporary else "change_password", "user", user.id, None,
          {"username": user.username, "must_change_password": temporary})


def _verified(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(db: Database, username: str, password: str, *, now: datetime | None = None) -> SignedIn:
    """Check a user's password; raises ``SignInFailed`` (after recording the failure) when it does not hold."""
    now = now or _now()
    username = username.strip()
    refusal: str | None = None
    with db.write() as session:  # the failure is recorded even though the caller gets an error
        user = session.exec(select(User).where(User.username == username)).first()
        conf = office_settings.load(session)
        if user is None or not user.active:
            refusal = "用户名或密码不正确。" if user is None else "该账户已停用，请与管理员联系。"
            audit(session, "", "sign_in_failed", "user", user.id if user else None, None,
                  {"username": username, "why": "unknown" if user is None else "deactivated"})
        elif user.locked_until is not None and _aware(user.locked_until) > now:
            until = _aware(user.locked_until).astimezone(OFFICE_TZ)
            refusal = f"该账户因多次密码错误已锁定，请于 {until:%H:%M} 后再试，或请管理员重置密码。"
            audit(session, "", "sign_in_failed", "user", user.id, None, {"username": username, "why": "locked"})
        elif not user.password_hash and _may_choose_first_password(session, user):
            refusal = "本机关尚未设置任何密码：请先为此账户设置密码。"
            raise FirstPasswordNeeded(refusal)
        elif not _verified(user, password):
            user.failed_sign_ins += 1
            why = "no_password" if not user.password_hash else "wrong_password"
            refusal = "该账户尚未设置密码，请管理员为您设置。" if why == "no_password" else "用户名或密码不正确。"
            audit(session, "", "sign_in_failed", "user", user.id, None, {"username": username, "why": why})
            if user.failed_sign_ins >= conf.lockout_attempts:
                user.locked_until = now + timedelta(minutes=conf.lockout_minutes)
                user.failed_sign_ins = 0
                audit(session, "", "lock_out", "user", user.id, None,
                      {"username": username, "locked_until": user.locked_until.isoformat()})
            session.add(user)
        else:
            if _HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = _HASHER.hash(password)
            user.failed_sign_ins = 0
            user.locked_until = None
            session.add(user)
            audit(session, username, "sign_in", "user", user.id, None, {"username": username})
            return SignedIn(user.username, user.display_name, user.role, user.must_change_password)
    raise SignInFailed(refusal)


def has_users(db: Database) -> bool:
    """Whether anybody can sign in at all; a database without users is an office not yet set up."""
    with db.read() as session:
        return session.exec(select(User.id).where(col(User.active).is_(True))).first() is not None


def _may_choose_first_password(session: Session, user: User) -> bool:
    """An office upgraded from a version without passwords has none: its manager sets the first one.

    Only while no account of the office has a password, and only for the account that
    would manage users (an administrator; without one, a supervisor). After that, every
    password is set by its user or reset by an administrator (docs/SECURITY.md).
    """
    if session.exec(select(User.id).where(col(User.password_hash) != "")).first() is not None:
        return False
    return user.active and permissions.allowed(session, user.username, permissions.Permission.MANAGE_USERS)


def needs_first_password(db: Database, username: str) -> bool:
    """Whether ``username`` signs in by choosing the office's first password (see ``set_first_password``)."""
    with db.read() as session:
        user = session.exec(select(User).where(User.username == username.strip())).first()
        return user is not None and not user.password_hash and _may_choose_first_password(session, user)


def set_first_password(db: Database, username: str, password: str) -> SignedIn:
    """Sign in an upgraded office's manager by setting the office's first password (audited)."""
    with db.write() as session:
        user = session.exec(select(User).where(User.username == username.strip())).first()
        if user is None or user.password_hash or not _may_choose_first_password(session, user):
            raise SignInFailed("此账户不能这样设置密码：请管理员为您重置密码。")
        set_password(session, user, password, user.username, temporary=False)
        audit(session, user.username, "sign_in", "user", user.id, None, {"username": user.username})
        return SignedIn(user.username, user.display_name, user.role, False)


def change_password(db: Database, username: str, old: str, new: str) -> None:
    """The user changes their own password (also the forced change after a reset)."""
    if old == new:
        raise ValidationFailed("新密码不能与原密码相同。")
    with db.write() as session:
        user = session.exec(select(User).where(User.username == username.strip())).first()
        if user is None or not user.active or not _verified(user, old):
            raise SignInFailed("原密码不正确。")
        set_password(session, user, new, user.username, temporary=False)
