"""Daily clean-up of personal data that is kept no longer than needed (issue 7 §8).

Listed in CELERY_IMPORTS, since Celery autodiscovers only each app's tasks.py; run by beat.
"""

from celery import shared_task

from applications import retention


@shared_task(ignore_result=True)
def purge_stale_drafts() -> int:
    return retention.delete_stale_drafts()


@shared_task(ignore_result=True)
def purge_old_contact_messages() -> int:
    return retention.delete_old_contact_messages()
