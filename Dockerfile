# Amity's image: the locked runtime dependencies in a virtual environment, run as a plain user.
#   docker build -t amity .
#   docker run -e AMITY_DATABASE_URL=postgresql+psycopg://... -p 8000:8000 amity
# compose.yaml runs it with PostgreSQL. The install step is deploy/install.sh, which
# tests/deploy/test_install.py also runs in a fresh folder (docs/deploy.md, "The container").

FROM python:3.11-slim-bookworm AS build
COPY --from=ghcr.io/astral-sh/uv:0.13 /uv /usr/local/bin/uv
ENV UV_PYTHON=/usr/local/bin/python3.11 UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy
WORKDIR /opt/amity
COPY pyproject.toml uv.lock README.md ./
COPY src ./src
COPY deploy/install.sh ./deploy/install.sh
RUN deploy/install.sh /opt/amity

FROM python:3.11-slim-bookworm
# pg_dump and pg_restore for `amity backup` / `amity restore` on PostgreSQL.
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /var/lib/amity --create-home --shell /usr/sbin/nologin amity
COPY --from=build /opt/amity/.venv /opt/amity/.venv
ENV PATH=/opt/amity/.venv/bin:$PATH \
    AMITY_HOST=0.0.0.0 \
    AMITY_PORT=8000 \
    AMITY_LOG_FORMAT=json \
    AMITY_STATE_DIR=/var/lib/amity/state \
    AMITY_AUDIT_KEY_FILE=/var/lib/amity/audit.key
USER amity
WORKDIR /var/lib/amity
VOLUME /var/lib/amity
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["amity", "serve"]
