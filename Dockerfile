# The satgas image: the worker by default; the same image runs every `satgas` command
# (migrate, sweep, imports, web) in docker-compose.yml.
FROM python:3.11-slim

# SATGAS_DATA_DIR holds the worker's working data (faust's data dir), writable by the service user.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    SATGAS_DATA_DIR=/var/lib/satgas

# Only what the package is built from (there is no .dockerignore; this keeps .venv, var/ and .git out).
WORKDIR /src
COPY pyproject.toml ./
COPY config ./config
COPY models ./models
COPY services ./services
COPY streams ./streams
COPY cli ./cli
COPY notifications ./notifications
COPY migrations ./migrations
COPY web ./web
COPY scheduler ./scheduler
COPY demo ./demo

# Every binary dependency (psycopg, aiokafka, faust, SQLAlchemy, pydantic-core) ships manylinux wheels: no compiler needed.
RUN pip install . \
    && cd / && rm -rf /src \
    && useradd --system --uid 10001 --home-dir /var/lib/satgas --shell /usr/sbin/nologin satgas \
    && mkdir -p /var/lib/satgas/documents \
    && chown -R satgas:satgas /var/lib/satgas

USER satgas
WORKDIR /var/lib/satgas

CMD ["satgas", "worker"]
