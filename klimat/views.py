"""The public pages that belong to no app: home, membership, how to apply, observer status,
voices from members, contact, the accessibility statement and the privacy note."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from klimat import contact as contact_actions
from klimat.forms import ContactForm
from klimat.models import Testimonial
from klimat.ratelimit import client_ip


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "klimat/home.html")


@require_GET
def membership(request: HttpRequest) -> HttpResponse:
    return render(request, "klimat/membership.html")


@require_GET
def how_to_apply(request: HttpRequest) -> HttpResponse:
    return render(request, "klimat/how_to_apply.html")


@require_GET
def observer(request: HttpRequest) -> HttpResponse:
    return render(request, "klimat/observer.html")


@require_GET
def testimonials(request: HttpRequest) -> HttpResponse:
    return render(request, "klimat/testimonials.html", {"testimonials": Testimonial.objects.published()})


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """What personal data the portal keeps and for how long (issue 7 §8), from the settings."""
    context = {
        "draft_days": settings.KLIMAT_DRAFT_RETENTION_DAYS,
        "message_days": settings.KLIMAT_CONTACT_MESSAGE_RETENTION_DAYS,
    }
    return render(request, "klimat/privacy.html", context)


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_spam:
            return redirect("contact_thanks")  # look like success; store and send nothing
        if form.is_valid():
            data = form.cleaned_data
            if not contact_actions.may_send(email=data["email"], ip=client_ip(request)):
                return render(request, "klimat/contact_too_many.html", status=429)
            contact_actions.send_contact_message(
                name=data["name"],
                email=data["email"],
                organisation=data["organisation"],
                message=data["message"],
                language=get_language() or "sv",
            )
            return redirect("contact_thanks")
    return render(request, "klimat/contact.html", {"form": form})


@require_GET
def contact_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "klimat/contact_thanks.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "klimat/accessibility.html")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer and compose healthchecks: answers only when the database does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
