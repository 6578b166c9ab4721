"""FastAPI dependencies shared by the API and the pages."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from amity.core.db import session_factory


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: committed on success, rolled back on any error."""
    session = session_factory(request.app.state.engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# What endpoints declare (`session: Session = SESSION`). Scope "function": the commit above runs
# before the response is sent. FastAPI's default for a yield dependency runs it after sending,
# so a client could be told 201 for a write that a crash a moment later loses (kill -9 of the
# app under writes, bench/bench_kill.py, caught it).
SESSION = Depends(get_session, scope="function")
