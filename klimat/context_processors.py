from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """What every page's layout needs: the secretariat's address for the footer."""
    return {"SECRETARIAT_EMAIL": settings.SECRETARIAT_EMAIL}
