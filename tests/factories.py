"""Small helpers that make the objects tests need; statuses set directly only here."""

from django.contrib.auth.models import User

from applications import workflow
from applications.models import Application, Contact, ContactRole, Organisation, Status


def make_user(email: str = "klimat@sorsele.se", **extra) -> User:
    user, _ = User.objects.get_or_create(username=email.lower(), defaults={"email": email.lower(), **extra})
    return user


def make_staff(username: str = "handlaggare", *, superuser: bool = True) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@klimatkommunerna.se", "is_staff": True}
    )
    user.is_superuser = superuser
    user.save()
    return user


def make_application(
    code: str = "2422",
    *,
    status: str = Status.DRAFT,
    user: User | None = None,
    language: str = "sv",
    contacts: bool = True,
    **fields,
) -> Application:
    organisation = Organisation.objects.get(code=code)
    user = user or make_user(f"klimat@{organisation.short_name.lower().replace(' ', '')}.se")
    application = workflow.start_application(organisation=organisation, by=user, language=language)
    if contacts:
        Contact.objects.create(
            application=application, role=ContactRole.ELECTED, name="Anna Andersson", email="anna@example.se"
        )
        Contact.objects.create(
            application=application, role=ContactRole.OFFICIAL, name="Bo Berg", email="bo@example.se"
        )
    Application.objects.filter(pk=application.pk).update(status=status, **fields)
    application.refresh_from_db()
    return application
