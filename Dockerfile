# Production image: daphne serving Comhla. Built from the locked environment (uv.lock).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv PATH=/opt/venv/bin:$PATH

WORKDIR /app
# gettext: compilemessages (msgfmt) turns the translations in project/locale into the .mo
# files Django reads.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv==0.13.8
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --no-input --verbosity 0 \
    && SECRET_KEY=build-only python manage.py compilemessages --verbosity 0

RUN useradd --system --uid 10001 comhla && chown -R comhla /app
USER comhla
EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --no-input && daphne --websocket-max-message-size 4194304 --websocket-max-frame-size 4194304 --websocket_connect_timeout 30 -b 0.0.0.0 -p 8000 project.asgi:application"]
