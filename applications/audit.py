"""The audit trail holds: StatusChange rows are written once and never changed or deleted.

Three layers, each shown by tests/reliability/test_audit.py:

- In Python: StatusChange.save() on an existing row, .delete(), and QuerySet.update()/.delete()
  raise AuditRecordImmutable, and the admin gives nobody (not even a superuser) change or delete.
- In PostgreSQL: a trigger (migration 0007) refuses UPDATE and DELETE from any client, with two
  exceptions the rest of the portal needs: a user's deletion may blank `by` (on_delete=SET_NULL),
  and a draft that was never submitted may be deleted with its trail (the 90-day retention of
  unsubmitted drafts). TRUNCATE (the test suite's flush) is a table operation and not refused.
- An application's status is written only inside workflow.py (`status_changes_allowed`), so no
  status changes without its audit row; Application.save() refuses any other status write.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NoReturn

from django.db import models

_in_workflow: ContextVar[bool] = ContextVar("klimat_status_change_in_workflow", default=False)


class AuditRecordImmutable(Exception):
    """An attempt to change or delete the audit trail."""


class StatusOutsideWorkflow(Exception):
    """An application's status written somewhere other than applications/workflow.py."""


@contextmanager
def status_changes_allowed() -> Iterator[None]:
    """Lets the block write an application's status; only workflow._change uses it."""
    token = _in_workflow.set(True)
    try:
        yield
    finally:
        _in_workflow.reset(token)


def status_change_allowed() -> bool:
    return _in_workflow.get()


def refuse(what: str) -> NoReturn:
    raise AuditRecordImmutable(f"The audit trail is append-only: {what} is refused.")


class AuditQuerySet(models.QuerySet[Any]):
    """Reads and inserts as usual; bulk changes and deletes are refused."""

    def update(self, **kwargs: Any) -> int:
        refuse("update()")

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse("delete()")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        refuse("bulk_update()")

    def update_or_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        refuse("update_or_create()")
