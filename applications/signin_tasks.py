"""Periodic clean-up of sign-in links (issue 7: expired sign-in tokens are purged).

Listed in CELERY_IMPORTS, since Celery autodiscovers only each app's tasks.py; run hourly by beat.
"""

from celery import shared_task

from applications.signin import purge_expired_tokens


@shared_task(ignore_result=True)
def purge_signin_tokens() -> int:
    return purge_expired_tokens()
