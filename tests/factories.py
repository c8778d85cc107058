"""Small helpers that make the objects tests need; statuses set directly only here."""

from django.contrib.auth.models import User
from django.test import Client

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
        add_contacts(application)
    return set_status(application, status, **fields)


def add_contacts(
    application: Application,
    elected: tuple[str, str] = ("Anna Andersson", "anna@example.se"),
    official: tuple[str, str] = ("Bo Berg", "bo@example.se"),
) -> None:
    """The two contact persons an application needs: (name, email) of each."""
    for role, (name, email) in ((ContactRole.ELECTED, elected), (ContactRole.OFFICIAL, official)):
        Contact.objects.create(application=application, role=role, name=name, email=email)


def set_status(application: Application, status: str, **fields: object) -> Application:
    """Put an application in a status directly: a test's shortcut past the secretariat's steps."""
    Application.objects.filter(pk=application.pk).update(status=status, **fields)
    application.refresh_from_db()
    return application


def signed_in(user: User) -> Client:
    # force_login, not login: django-axes needs a request for client.login().
    client = Client()
    client.force_login(user)
    return client
