FROM python:3.11-slim-bookworm

# WeasyPrint needs pango and harfbuzz's subsetter; the letter's fonts are DejaVu; gettext compiles catalogues.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
ENV KLIMAT_VAR_DIR=/data DJANGO_DEBUG=0
RUN useradd --create-home klimat && mkdir -p /data && chown klimat /data \
    && DJANGO_SECRET_KEY=build-only python manage.py collectstatic --no-input
USER klimat
EXPOSE 8000
CMD ["gunicorn", "klimat.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-", \
     "--logger-class", "klimat.gunicorn_logging.RedactingLogger"]
