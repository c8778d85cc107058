"""The Celery app. Configuration lives in klimat/settings.py under the CELERY_ prefix."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klimat.settings")

app = Celery("klimat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
