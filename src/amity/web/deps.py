"""FastAPI dependencies shared by the API and the pages."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session

from amity.db import session_factory


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
