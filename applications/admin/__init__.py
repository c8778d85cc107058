"""The secretariat's admin: review, actions through workflow.py, outbox, members register, personal data."""

from applications.admin import applications, members, outbox, personal_data, reference  # noqa: F401
