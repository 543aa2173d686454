"""Seeded users, password hashing and bearer tokens.

Tokens are random and stored server-side as SHA-256 digests; passwords are PBKDF2-SHA256.
Neither is ever logged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from refoffice.context import AppContext, get_ctx, get_session
from refoffice.errors import FORBIDDEN, UNAUTHENTICATED, ApiError
from refoffice.models import AuthToken, User
from refoffice.validation import Checker, json_body, require_object

VAN_THU = "van_thu"
LANH_DAO = "lanh_dao"
CHUYEN_VIEN = "chuyen_vien"
LUU_TRU_VIEN = "luu_tru_vien"
QUAN_TRI = "quan_tri"


@dataclass(frozen=True)
class SeedUser:
    """An account created at start-up; all share REFOFFICE_PASSWORD."""

    username: str
    full_name: str
    role: str


SEED_USERS = [
    SeedUser("vanthu", "Nguyễn Thị Bình", VAN_THU),
    SeedUser("lanhdao", "Trần Văn An", LANH_DAO),
    SeedUser("chuyenvien", "Lê Thị Cúc", CHUYEN_VIEN),
    SeedUser("chuyenvien2", "Phạm Văn Dũng", CHUYEN_VIEN),
    SeedUser("luutru", "Hoàng Thị Én", LUU_TRU_VIEN),
    SeedUser("quantri", "Vũ Văn Giang", QUAN_TRI),
]


def _nfc_bytes(password: str) -> bytes:
    """Passwords typed with combining marks must match the precomposed form."""
    return unicodedata.normalize("NFC", password).encode("utf-8")


def hash_password(password: str, iterations: int) -> str:
    """`pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>`; the work factor travels with the hash."""
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", _nfc_bytes(password), salt, iterations)
    return f"pbkdf2_sha256${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison against a stored hash."""
    try:
        scheme, iterations, salt_hex, digest_hex = stored.split("$")
        if scheme != "pbkdf2_sha256":
            return False
        digest = hashlib.pbkdf2_hmac("sha256", _nfc_bytes(password), bytes.fromhex(salt_hex), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def seed_users(session: Session, password: str, iterations: int) -> None:
    """Create the seeded users, or reset their password to the configured one."""
    existing = {u.username: u for u in session.scalars(select(User))}
    for seed in SEED_USERS:
        user = existing.get(seed.username)
        if user is None:
            session.add(
                User(
                    username=seed.username,
                    full_name=seed.full_name,
                    role=seed.role,
                    password_hash=hash_password(password, iterations),
                )
            )
        else:
            user.full_name, user.role = seed.full_name, seed.role
            user.password_hash = hash_password(password, iterations)
    session.commit()


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, user: User, ttl_seconds: int) -> str:
    """A fresh random token; expired ones are purged on the way."""
    now = time.time()
    session.execute(delete(AuthToken).where(AuthToken.expires_at < now))
    token = secrets.token_urlsafe(32)
    session.add(AuthToken(token_hash=_token_digest(token), user_id=user.id, expires_at=now + ttl_seconds))
    session.commit()
    return token


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user if the credentials match."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not verify_password(password, user.password_hash):
        return None
    return user


def user_for_token(session: Session, token: str) -> User | None:
    """The owner of a live token."""
    row = session.get(AuthToken, _token_digest(token))
    if row is None or row.expires_at < time.time():
        return None
    return session.get(User, row.user_id)


def revoke_token(session: Session, token: str) -> None:
    """Forget a token (logout)."""
    session.execute(delete(AuthToken).where(AuthToken.token_hash == _token_digest(token)))
    session.commit()


def _unauthenticated() -> ApiError:
    return ApiError(401, UNAUTHENTICATED, headers={"WWW-Authenticate": "Bearer"})


def current_user(request: Request, session: Annotated[Session, Depends(get_session)]) -> User:
    """The user behind `Authorization: Bearer <token>`; 401 otherwise."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise _unauthenticated()
    user = user_for_token(session, token)
    if user is None:
        raise _unauthenticated()
    return user


def require_role(*roles: str) -> Callable[[User], User]:
    """Dependency factory: 403 unless the user has one of `roles`."""

    def _check(user: Annotated[User, Depends(current_user)]) -> User:
        if user.role not in roles:
            raise ApiError(403, FORBIDDEN)
        return user

    return _check


def user_json(user: User) -> dict[str, Any]:
    """The public view of an account."""
    return {"id": user.id, "username": user.username, "full_name": user.full_name, "role": user.role}


router = APIRouter()


@router.post("/api/auth/login")
def login(
    payload: Annotated[Any, Depends(json_body)],
    ctx: Annotated[AppContext, Depends(get_ctx)],
    session: Annotated[Session, Depends(get_session)],
) -> dict[str, Any]:
    """Exchange username and password for a bearer token."""
    data = require_object(payload)
    check = Checker(data)
    username = check.text("username", 50, required=True)
    password = data.get("password")
    if not isinstance(password, str) or not password:
        check.error("password", "Không được để trống")
    check.raise_if_errors()
    assert username is not None and isinstance(password, str)
    user = authenticate(session, username, password)
    if user is None:
        raise ApiError(401, "Tên đăng nhập hoặc mật khẩu không đúng")
    token = issue_token(session, user, ctx.config.token_ttl_seconds)
    return {"access_token": token, "token_type": "bearer", "role": user.role, "user_id": user.id}


@router.get("/api/me")
def me(user: Annotated[User, Depends(current_user)]) -> dict[str, Any]:
    """Who the token belongs to."""
    return user_json(user)
