# SPDX-License-Identifier: AGPL-3.0-or-later
# The image of web, worker and beat (docker-compose.yml). Debian 12, as `make run`.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app/frontend
COPY frontend/package.json frontend/package-lock.json frontend/build.mjs ./
COPY frontend/src ./src
RUN npm ci --no-audit --no-fund && npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends gdal-bin libgdal32 libgeos-c1v5 libproj25 gettext \
    chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The runtime dependencies only (no test tools, no browser driver), at the versions and
# hashes of the tested .venv (make lock writes both files).
COPY requirements-runtime.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements-runtime.lock
COPY . .
COPY --from=frontend /app/frontend/dist frontend/dist
RUN DEBUG=1 python manage.py compilemessages --ignore=frontend \
 && SECRET_KEY=build-only DEBUG=0 python manage.py collectstatic --noinput \
 && useradd --system --home /app carto && mkdir -p /data/media && chown carto /data/media
USER carto
EXPOSE 8000
