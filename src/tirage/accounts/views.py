"""Staff sign-in in two steps: password, then a code (or, the first time, setting up the app).

1. ``login``: identifier and password (django-axes counts failures and locks
   out). For a role that needs a second factor, nobody is logged in yet: the
   session only remembers who passed the first step, for ``PENDING_SECONDS``.
2. ``verify``: the 6-digit code of the app, or a recovery code. Wrong codes
   count as failed logins for the lockout too.
   ``enrol`` (first sign-in): a QR code (and the key as text) to add to an app,
   confirmed by its first code; then ten recovery codes, shown once.
3. ``security``: the signed-in person's second factor; new recovery codes.
"""

from __future__ import annotations

import time
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from tirage.accounts import services
from tirage.accounts.forms import CodeForm
from tirage.accounts.policy import must_verify, role_requires_two_factor
from tirage.backoffice.shell import post_only

PENDING = "accounts.pending"  # {"user": pk, "backend": dotted path, "at": epoch seconds}
PENDING_SECONDS = 5 * 60
NEW_CODES = "accounts.new_codes"  # recovery codes to show once


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _pending_user(request: HttpRequest):
    pending = request.session.get(PENDING)
    if not pending:
        return None
    if time.time() - pending["at"] > PENDING_SECONDS:
        del request.session[PENDING]
        return None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]
    return user


def _expired(request: HttpRequest, next_url: str) -> HttpResponse:
    messages.info(
        request,
        "Votre connexion a expiré : saisissez à nouveau votre identifiant et votre mot de passe.",
    )
    return redirect_to_login(next_url, settings.LOGIN_URL)


def _wait_message(seconds: int) -> str:
    return (
        f"Trop de codes incorrects : attendez {seconds} seconde{'s' if seconds > 1 else ''} "
        "avant de réessayer."
    )


def _complete_login(request: HttpRequest, user, device) -> None:
    request.session.pop(PENDING, None)
    auth_login(request, user, backend=user.backend)
    otp_login(request, device)


@sensitive_post_parameters()
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url)
    form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = form.get_user()
        if must_verify(user):
            request.session.cycle_key()
            request.session[PENDING] = {"user": user.pk, "backend": user.backend, "at": time.time()}
            step = "accounts:verify" if services.app_device(user) else "accounts:enrol"
            return redirect(_with_next(step, next_url))
        auth_login(request, user)
        return redirect(next_url)
    return render(request, "accounts/login.html", {"form": form, "next": next_url})


def admin_login(request: HttpRequest) -> HttpResponse:
    """Django admin's login page → ours (both factors), then back to the admin."""
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), settings.LOGIN_URL)


@sensitive_post_parameters()
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    user = _pending_user(request)
    if user is None:
        return _expired(request, next_url)
    if services.app_device(user) is None:
        return redirect(_with_next("accounts:enrol", next_url))
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, credentials=credentials)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        result = services.verify(user, form.cleaned_data["code"])
        if result.device is not None:
            _complete_login(request, user, result.device)
            if result.recovery_codes_left is not None:
                messages.warning(
                    request,
                    f"Vous avez utilisé un code de secours : il vous en reste "
                    f"{result.recovery_codes_left}. Vous pouvez en créer de nouveaux dans "
                    "« Sécurité du compte ».",
                )
            return redirect(next_url)
        # A wrong code counts as a failed login: django-axes locks out after too many.
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            request.session.pop(PENDING, None)
            return get_lockout_response(request, credentials=credentials)
        if result.wait_seconds:
            form.add_error("code", _wait_message(result.wait_seconds))
        else:
            form.add_error(
                "code",
                "Code incorrect : saisissez les 6 chiffres affichés maintenant par "
                "l'application, ou un de vos codes de secours.",
            )
    return render(request, "accounts/verify.html", {"form": form, "next": next_url})


@sensitive_post_parameters()
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    pending = _pending_user(request)
    user = pending or (request.user if request.user.is_authenticated else None)
    if user is None:
        return _expired(request, next_url)
    if services.app_device(user) is not None:
        return redirect(_with_next("accounts:verify", next_url) if pending else "accounts:security")
    device = services.device_to_confirm(user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    wait = services.wait_seconds(device) if form.is_bound else 0
    if wait:
        form.add_error("code", _wait_message(wait))
    elif form.is_valid():
        codes = services.confirm_app(device, form.cleaned_data["code"])
        if codes is not None:
            device.refresh_from_db()
            if pending is not None:
                _complete_login(request, user, device)
            else:
                otp_login(request, device)
            request.session[NEW_CODES] = codes
            return redirect(_with_next("accounts:security", next_url))
        form.add_error(
            "code",
            "Code incorrect : vérifiez que l'application affiche le compte qui vient d'être "
            "ajouté, et saisissez les 6 chiffres affichés maintenant.",
        )
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "next": next_url,
            "qr_svg": services.qr_svg(device),
            "secret": services.secret_text(device),
            "required": role_requires_two_factor(user),
            "username": user.get_username(),
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    has_app = services.app_device(user) is not None
    if request.method == "POST":
        if has_app:
            request.session[NEW_CODES] = services.renew_recovery_codes(user)
        return redirect(_with_next("accounts:security", _next_url(request)))
    codes = request.session.pop(NEW_CODES, None)
    return render(
        request,
        "accounts/security.html",
        {
            "has_app": has_app,
            "new_codes": codes,
            "codes_left": services.recovery_codes_left(user),
            "required": role_requires_two_factor(user),
            "next": _next_url(request),
        },
    )


_sign_out = post_only(auth_views.LogoutView.as_view())


def logout(request: HttpRequest) -> HttpResponse:
    """Sign out (POST, the menu's button). The address opened by GET (typed, bookmarked,
    an old link) gets the staff shell's French 405 page, not Django's empty 405; nobody
    signed in: the sign-in page."""
    if request.method != "POST" and not request.user.is_authenticated:
        return redirect("accounts:login")
    return _sign_out(request)
