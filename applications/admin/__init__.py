"""The secretariat's admin: review, actions through workflow.py, outbox, members register."""

from applications.admin import applications, members, outbox, reference  # noqa: F401
