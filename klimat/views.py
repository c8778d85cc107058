"""The public pages that belong to no app: home and the accessibility statement."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "klimat/home.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "klimat/accessibility.html")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer and compose healthchecks: answers only when the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
