"""Close any session that skipped the second factor it needs.

The sign-in views open a session only after both factors. A session opened
otherwise (Django admin's own login form, a session older than the rule, a
role given since) is logged out, and the login page asks for both factors.
Runs after ``django_otp.middleware.OTPMiddleware`` (``user.is_verified``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBase

from tirage.accounts.policy import must_verify


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        if user.is_authenticated and not user.is_verified() and must_verify(user):  # type: ignore[attr-defined]  # is_verified: set on the user by OTPMiddleware
            logout(request)
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
