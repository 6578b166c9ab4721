"""Accounts: users with argon2 password hashes, browser sessions, API tokens, sign-in throttling.

Secrets (session cookies, API tokens) are random and stored only as their SHA-256; passwords
only as argon2id hashes.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from amity.auth import audit
from amity.auth.models import ApiToken, LoginAttempt, User, WebSession
from amity.auth.permissions import (
    CITY,
    LOCAL_ADMIN,
    NATIONAL,
    PROVINCIAL,
    RESEARCHER,
    Actor,
    actor_for,
    require,
)
from amity.core.errors import (
    N_,
    Conflict,
    InvalidInput,
    NotFound,
    TooManyRequests,
    Unauthorized,
)
from amity.places.models import Place

# A recognisable prefix lets secret scanners and people tell an Amity token from other strings.
PREFIX = "amity_"
SESSION_HOURS = 12
# Failed sign-ins are counted per (account, address) pair, so a stranger guessing from elsewhere
# never locks the owner out: after FREE_FAILS failures in a row the pair waits FIRST_DELAY, then
# twice as long after each further failure, up to MAX_DELAY; a success starts the count again,
# and failures older than PAIR_MEMORY are forgotten.
FREE_FAILS = 5
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=1)
PAIR_MEMORY = timedelta(days=1)
# One address trying many accounts (password spraying) is stopped as a whole for a while.
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILS_PER_ADDRESS = 20
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")
MIN_PASSWORD = 10

USER_ROLES = (NATIONAL, PROVINCIAL, CITY, RESEARCHER)

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against when the account is unknown, so both cases take the same time.

    Made on first use: hashing takes half a second, which every command would pay at import.
    """
    return _hasher.hash("not a real password")


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# --- users -------------------------------------------------------------------------------------


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: str,
    place_id: int | None = None,
    display_name: str | None = None,
    actor: Actor = LOCAL_ADMIN,
) -> User:
    """Add an account; officers need their province (provincial) or city (city officer)."""
    require(actor, "user.manage")
    username = username.strip()
    if not USERNAME.match(username):
        raise InvalidInput(
            N_("A username is 2 to 64 letters, digits or . _ @ -."), {"username": username}
        )
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            N_("A password needs at least %(n)s characters."), {"password": "too short"},
            params={"n": MIN_PASSWORD},
        )
    if role not in USER_ROLES:
        raise InvalidInput(N_("Unknown role: %(role)s"), {"role": role}, params={"role": role})
    place = _officer_place(session, role, place_id)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict(N_("The username %(username)s is taken."), {"username": username},
                       params={"username": username})  # fmt: skip
    user = User(
        username=username,
        display_name=(display_name or "").strip() or None,
        password_hash=_hasher.hash(password),
        role=role,
        place_id=place.id if place else None,
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor=actor, action="create", entity="user", entity_id=user.id,
        after=user_row(user),
    )  # fmt: skip
    return user


def _officer_place(session: Session, role: str, place_id: int | None) -> Place | None:
    if role not in (PROVINCIAL, CITY):
        if place_id is not None:
            raise InvalidInput(N_("Only officers have a place."), {"place_id": place_id})
        return None
    place = session.get(Place, place_id) if place_id is not None else None
    wanted = "province" if role == PROVINCIAL else "city"
    if place is None or place.kind != wanted:
        message = {
            "province": N_("A provincial officer needs their province."),
            "city": N_("A city officer needs their city."),
        }[wanted]
        raise InvalidInput(message, {"place_id": place_id})
    return place


def user_row(user: User) -> dict:
    """A user as shown and audited (never the password hash)."""
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "place_id": user.place_id,
        "place": (user.place.name_zh or user.place.name) if user.place else None,
        "disabled": user.disabled_at is not None,
    }


def unusable(user: User | None) -> str | None:
    """Why an account may not act, or None when it may.

    Fail closed: a missing row (deleted behind the application's back), a disabled account,
    an unknown role, or an officer without a place of the right kind acts as nobody.
    """
    if user is None:
        return "its user no longer exists"
    if user.disabled_at is not None:
        return "its user is disabled"
    if user.role not in USER_ROLES:
        return "its user has an unknown role"
    wanted = {PROVINCIAL: "province", CITY: "city"}.get(user.role)
    if wanted and (user.place is None or user.place.kind != wanted):
        return f"its user has no {wanted}"
    return None


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"No user {username}.", {"username": username})
    return user


def disable_user(session: Session, username: str, *, actor: Actor = LOCAL_ADMIN) -> User:
    """Disable an account: its sessions end and its tokens stop working."""
    require(actor, "user.manage")
    user = find_user(session, username)
    if user.disabled_at is not None:
        raise Conflict(f"{username} is already disabled.", {"username": username})
    before = user_row(user)
    now = datetime.now()
    user.disabled_at = now
    for web in session.scalars(
        select(WebSession).where(WebSession.user_id == user.id, WebSession.revoked_at.is_(None))
    ):
        web.revoked_at = now
    session.flush()
    audit.record(
        session, actor=actor, action="disable", entity="user", entity_id=user.id,
        before=before, after=user_row(user),
    )  # fmt: skip
    return user


# --- sign-in and sessions ----------------------------------------------------------------------


def pair_delay(failures: int) -> timedelta:
    """How long a pair waits after its latest failure, given its failures in a row."""
    if failures < FREE_FAILS:
        return timedelta(0)
    return min(FIRST_DELAY * 2 ** min(failures - FREE_FAILS, 20), MAX_DELAY)


def _refuse_for(wait: timedelta) -> TooManyRequests:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))  # rounded up: never "0 minutes"
    return TooManyRequests(
        f"Too many failed sign-ins. Try again in {minutes} min.",
        {"retry_after_minutes": minutes},
    )


def _throttle(session: Session, username: str, address: str, now: datetime) -> None:
    """Raise TooManyRequests while this (account, address) pair or this address must wait."""
    failed = LoginAttempt.succeeded.is_(False)
    pair = (LoginAttempt.username == username, LoginAttempt.address == address)
    last_ok = session.scalar(
        select(func.max(LoginAttempt.at)).where(*pair, LoginAttempt.succeeded.is_(True))
    )
    since = max(now - PAIR_MEMORY, last_ok or now - PAIR_MEMORY)
    count, last = session.execute(
        select(func.count(), func.max(LoginAttempt.at)).where(*pair, failed,
                                                              LoginAttempt.at > since)
    ).one()  # fmt: skip
    if count >= FREE_FAILS and now < last + pair_delay(count):
        raise _refuse_for(last + pair_delay(count) - now)
    window = now - THROTTLE_WINDOW
    spray = session.execute(
        select(func.count(), func.min(LoginAttempt.at)).where(
            LoginAttempt.address == address, failed, LoginAttempt.at >= window
        )
    ).one()
    if spray[0] >= MAX_FAILS_PER_ADDRESS:
        raise _refuse_for(spray[1] + THROTTLE_WINDOW - now)


def authenticate(session: Session, username: str, password: str, *, address: str) -> User:
    """The user whose password this is; throttled per (account, address) and per address.

    Every attempt is recorded (the caller commits even when this raises, so failures count).
    """
    now = datetime.now()
    username = username.strip()[:64]
    address = address[:64]
    _throttle(session, username, address, now)
    user = session.scalar(select(User).where(User.username == username))
    ok = _password_matches(user.password_hash if user else _dummy_hash(), password)
    ok = ok and unusable(user) is None
    session.add(LoginAttempt(username=username, address=address, at=now, succeeded=ok))
    session.flush()
    if not ok:
        raise Unauthorized("Wrong username or password.")
    return user


def _password_matches(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def start_session(session: Session, user: User) -> str:
    """A new browser session for the user; returns the cookie's secret."""
    raw = secrets.token_urlsafe(32)
    now = datetime.now()
    session.add(
        WebSession(
            token_hash=_digest(raw),
            user_id=user.id,
            csrf_token=secrets.token_hex(32),
            created_at=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
        )
    )
    session.flush()
    return raw


def session_for(session: Session, raw: str | None) -> WebSession | None:
    """The live session a cookie names (not expired, not revoked, its user able to act)."""
    if not raw:
        return None
    web = session.scalar(select(WebSession).where(WebSession.token_hash == _digest(raw)))
    if web is None or web.revoked_at is not None or web.expires_at <= datetime.now():
        return None
    if unusable(web.user) is not None:
        return None
    return web


def end_session(session: Session, raw: str | None) -> None:
    web = session_for(session, raw)
    if web is not None:
        web.revoked_at = datetime.now()
        session.flush()


def revoke_sessions(session: Session, user_id: int) -> int:
    """End every live session of a user (after a password change, say); returns how many."""
    now = datetime.now()
    count = 0
    for web in session.scalars(
        select(WebSession).where(WebSession.user_id == user_id, WebSession.revoked_at.is_(None))
    ):
        web.revoked_at = now
        count += 1
    session.flush()
    return count


# --- API tokens --------------------------------------------------------------------------------


def create_token(session: Session, name: str, *, username: str | None = None) -> str:
    """Create a token called `name` for a user and return its secret (shown this once only).

    Without a user the token acts as the local administrator: only someone who can run the
    command line on the server can make one (see docs/security.md).
    """
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("A token needs a name of 1 to 100 characters.", {"name": name})
    user = find_user(session, username) if username else None
    if user is not None and user.disabled_at is not None:
        raise Conflict(f"{username} is disabled.", {"username": username})
    if user is not None and (reason := unusable(user)) is not None:
        raise Conflict(f"{username} cannot act: {reason}.", {"username": username})
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(name=name, token_hash=_digest(raw), user_id=user.id if user else None)
    session.add(token)
    session.flush()
    audit.record(
        session, actor=LOCAL_ADMIN, action="create", entity="api_token", entity_id=token.id,
        after={"name": name, "user": username},
    )  # fmt: skip
    return raw


def verify_token(session: Session, raw: str | None) -> ApiToken:
    """The live token whose secret this is; Unauthorized when missing, unknown or revoked."""
    if not raw:
        raise Unauthorized("This needs an API token: send Authorization: Bearer <token>.")
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(raw)))
    if token is None:
        raise Unauthorized("Unknown API token.")
    if token.revoked_at is not None:
        raise Unauthorized("This API token has been revoked.", {"token_id": token.id})
    # A token made for a user acts only as that user: if the row is gone (deleted behind the
    # application's back) the token is refused, never taken for a user-less administrator token.
    if token.user_id is not None and (reason := unusable(token.user)) is not None:
        raise Unauthorized(f"This API token cannot act: {reason}.", {"token_id": token.id})
    return token


def token_actor(token: ApiToken) -> Actor:
    """Whom a token acts as: its user, or the local administrator for a token made without one."""
    if token.user_id is None:
        return Actor(name=f"token:{token.name}", role=NATIONAL)
    if unusable(token.user) is not None:
        raise Unauthorized("This API token cannot act.", {"token_id": token.id})
    return actor_for(token.user)


def revoke_token(session: Session, token_id: int) -> ApiToken:
    """Revoke a token for good; it stays listed with its revocation time."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No token {token_id}.", {"token_id": token_id})
    if token.revoked_at is not None:
        raise Conflict(f"Token {token_id} is already revoked.", {"token_id": token_id})
    token.revoked_at = datetime.now()
    session.flush()
    audit.record(
        session, actor=LOCAL_ADMIN, action="revoke", entity="api_token", entity_id=token.id,
        after={"name": token.name},
    )  # fmt: skip
    return token


def list_tokens(session: Session) -> list[ApiToken]:
    """Every token, oldest first (secrets are never stored, so never shown)."""
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))
