"""Sign-in by emailed link (DESIGN.md §2): no passwords for applicants.

A link holds a random token. Only its SHA-256 hash is stored, so a copy of the database signs no
one in. A link is valid for 30 minutes and for one use: using it marks it with a conditional
UPDATE ... WHERE used_at IS NULL, so two simultaneous clicks sign in once. The link's GET only
shows a button (mail scanners follow links); the POST signs in. An applicant's first sign-in
creates its account. Tokens never reach a log line (klimat/logfilters.py).
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from applications.models import SignInToken
from klimat import ratelimit

logger = logging.getLogger(__name__)

VALIDITY = datetime.timedelta(minutes=30)
# Link requests per hour (issue 5): a few per address, more per IP (offices share addresses).
REQUESTS_PER_ADDRESS = 5
REQUESTS_PER_IP = 20
NEXT_URL_MAX_LENGTH = 200  # SignInToken.next_url


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """One account per address, whatever its case: addresses are compared lower-cased."""
    return email.strip().lower()


def may_request_link(*, email: str, ip: str) -> bool:
    """Count a link request; False when the IP or the address has asked too often this hour.

    Known and unknown addresses are counted alike, so the answer tells nothing about them. The
    IP is checked first so that one client cannot also use up a stranger's allowance.
    """
    if not ratelimit.hit(f"signin:ip:{ip}", REQUESTS_PER_IP):
        return False
    return ratelimit.hit(f"signin:email:{normalise_email(email)}", REQUESTS_PER_ADDRESS)


def create_token(email: str, next_url: str = "") -> str:
    """Store a new sign-in token for `email` and return the raw token (only ever put in the mail)."""
    raw = secrets.token_urlsafe(32)
    SignInToken.objects.create(
        email=normalise_email(email),
        token_hash=hash_token(raw),
        expires_at=timezone.now() + VALIDITY,
        next_url=next_url if len(next_url) <= NEXT_URL_MAX_LENGTH else "",
    )
    return raw


def find_valid_token(raw: str) -> SignInToken | None:
    """The unused, unexpired token for this raw value, without using it (for the GET)."""
    return SignInToken.objects.filter(
        token_hash=hash_token(raw), used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def use_token(raw: str) -> SignInToken | None:
    """Mark the token used, once: None if it is unknown, expired or already used."""
    now = timezone.now()
    token_hash = hash_token(raw)
    claimed = SignInToken.objects.filter(token_hash=token_hash, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now
    )
    if not claimed:
        return None
    return SignInToken.objects.get(token_hash=token_hash)


def applicant_for(email: str) -> User:
    """The applicant's account, created at its first sign-in: username = the lower-cased address,
    no usable password, not staff."""
    address = normalise_email(email)
    user, _ = User.objects.get_or_create(username=address, defaults={"email": address, "password": make_password(None)})
    return user


def may_sign_in_by_link(user: User) -> bool:
    """Staff sign in to the admin with a password and lockout; a link must not bypass that."""
    return user.is_active and not user.is_staff and not user.is_superuser


@transaction.atomic
def sign_in_with_token(raw: str) -> tuple[SignInToken, User] | None:
    """Use the token and return it with the applicant's account (created if new), or None."""
    token = use_token(raw)
    if token is None:
        return None
    return token, applicant_for(token.email)


def safe_next_url(url: str, *, host: str, https: bool) -> str:
    """`url` if it stays on this site, else ""; an external or scheme-relative next is ignored."""
    if not url or len(url) > NEXT_URL_MAX_LENGTH or not url.isprintable():  # no NUL, newline, RTL mark
        return ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={host}, require_https=https):
        return url
    return ""


def default_next_url() -> str:
    """The applicant's start page; the home page until the applications app provides one."""
    try:
        return reverse("applications:dashboard")
    except NoReverseMatch:
        return reverse("home")


def send_link(*, email: str, raw_token: str) -> None:
    """Send the link now, in the active language; raises if the mail server refuses.

    Synchronous on purpose (issue 6): the applicant is waiting for it, and a failure can be
    shown at once instead of a link that silently never arrives.
    """
    path = reverse("applications:signin_confirm", kwargs={"token": raw_token})
    context = {
        "link": settings.SITE_URL + path,
        "minutes": int(VALIDITY.total_seconds() // 60),
        "SITE_URL": settings.SITE_URL,
        "SECRETARIAT_EMAIL": settings.SECRETARIAT_EMAIL,
    }
    subject = " ".join(render_to_string("emails/signin_link.subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/signin_link.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    )
    message.attach_alternative(render_to_string("emails/signin_link.html", context), "text/html")
    message.send()


def request_link(*, email: str, next_url: str) -> bool:
    """Create a token and mail its link; False (and no token left behind) if sending failed."""
    raw = create_token(email, next_url)
    try:
        send_link(email=normalise_email(email), raw_token=raw)
    except Exception as error:
        SignInToken.objects.filter(token_hash=hash_token(raw)).delete()
        # The error type only: the address, the token and the message body stay out of the log.
        logger.warning("Could not send a sign-in link: %s", type(error).__name__)
        return False
    return True


def purge_expired_tokens() -> int:
    """Delete tokens that can no longer sign anyone in (expired or used); returns how many."""
    deleted, _ = SignInToken.objects.filter(Q(expires_at__lte=timezone.now()) | Q(used_at__isnull=False)).delete()
    return deleted
