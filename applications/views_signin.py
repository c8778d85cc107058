"""Sign-in by emailed link: ask for the address, say "check your inbox", confirm, sign out.

The logic is in applications/signin.py; these views bind forms and choose the page. Whatever the
address, a request gets the same answer (and does the same work), so the page never tells
whether someone has an account.
"""

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications import signin
from klimat.forms import BootstrapForm
from klimat.logfilters import redact_signin_tokens
from klimat.ratelimit import client_ip

SENT_TO_SESSION_KEY = "signin_sent_to"


class SignInForm(BootstrapForm):
    # 150: the address becomes the account's username, which holds at most 150 characters.
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=150,
        help_text=_("We send a sign-in link to this address. Use your work address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


@never_cache
@require_http_methods(["GET", "POST"])
def signin_request(request: HttpRequest) -> HttpResponse:
    # Where to go after signing in: carried through the form, checked when used, never an error.
    next_url = signin.safe_next_url(
        request.POST.get("next") or request.GET.get("next") or "", host=request.get_host(), https=request.is_secure()
    )
    form = SignInForm(request.POST if request.method == "POST" else None)
    context = {"form": form, "next": next_url}
    if request.method != "POST" or not form.is_valid():
        return render(request, "applications/signin/request.html", context)
    email = signin.normalise_email(form.cleaned_data["email"])
    if not signin.may_request_link(email=email, ip=client_ip(request)):
        return render(request, "applications/signin/too_many.html", status=429)
    if not signin.request_link(email=email, next_url=next_url):
        form.add_error(None, _("We could not send the email just now. Please wait a few minutes and try again."))
        return render(request, "applications/signin/request.html", context, status=503)
    request.session[SENT_TO_SESSION_KEY] = email
    return redirect("applications:signin_sent")


@never_cache
@require_GET
def signin_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/signin/sent.html", {"email": request.session.get(SENT_TO_SESSION_KEY, "")})


@never_cache
@require_http_methods(["GET", "POST"])
def signin_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button and changes nothing (mail scanners follow links); POST signs in.

    An unusable link answers 200 with its explanation: a 4xx would make Django log the path, and
    the path holds the token.
    """
    if request.method != "POST":
        template = "confirm.html" if signin.find_valid_token(token) else "invalid.html"
        response = render(request, f"applications/signin/{template}")
        # The page's own requests (CSS, the language switch) must not carry its URL as Referer.
        # Not "no-referrer": browsers then send "Origin: null" with the form and CSRF refuses it.
        response["Referrer-Policy"] = "strict-origin"
        return response
    result = signin.sign_in_with_token(token)
    if result is None:
        return render(request, "applications/signin/invalid.html")
    sign_in_token, user = result
    if not signin.may_sign_in_by_link(user):
        return render(request, "applications/signin/not_for_staff.html")
    _keep_token_out_of_axes(request)
    # login() rotates the session key, so a session fixed before sign-in is worth nothing after.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.pop(SENT_TO_SESSION_KEY, None)
    next_url = signin.safe_next_url(sign_in_token.next_url, host=request.get_host(), https=request.is_secure())
    return redirect(next_url or signin.default_next_url())


def _keep_token_out_of_axes(request: HttpRequest) -> None:
    """django-axes logs and stores the path of every sign-in; give it the path without the token."""
    AxesProxyHandler.update_request(request)
    request.axes_path_info = redact_signin_tokens(request.axes_path_info)  # type: ignore[attr-defined]


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, _("You are signed out."))
    return redirect("home")
