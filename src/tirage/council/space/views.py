"""Sign-in pages of the members' space: a link from an e-mail, a code from a letter, sign-out."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from tirage.council.models import Member, MemberLoginFailure
from tirage.council.space import links
from tirage.council.space.forms import CodeLoginForm, EmailLoginForm
from tirage.council.space.methods import space_post_only
from tirage.council.space.session import close_member_session, open_member_session
from tirage.council.space.tasks import send_login_link
from tirage.ops.clientip import client_ip

SPACE_PREFIX = "/espace-membre/"


def _next(request) -> str:
    target = request.POST.get("suivant") or request.GET.get("suivant") or ""
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe and target.startswith(SPACE_PREFIX) else SPACE_PREFIX


def _login_page(request, *, code_form=None, email_form=None, refused=None, sent=False, status=200):
    return render(
        request,
        "council/space/login.html",
        {
            "code_form": code_form or CodeLoginForm(),
            "email_form": email_form or EmailLoginForm(),
            "refused": refused,
            "sent": sent,
            "next": _next(request),
        },
        status=status,
    )


STATUS = {"unknown": 404, "used": 410, "expired": 410, "inactive": 403, "throttled": 429}


@require_http_methods(["GET", "POST"])
def login(request):
    """Sign in with the code printed on the convocation (POST), or show both ways in (GET)."""
    if request.method == "GET":
        return _login_page(request, sent=request.GET.get("envoye") == "1")
    form = CodeLoginForm(request.POST)
    if not form.is_valid():
        return _login_page(request, code_form=form, status=400)
    try:
        ticket = links.use_code(
            form.cleaned_data["receipt_code"], form.cleaned_data["code"], ip=client_ip(request)
        )
    except links.LoginRefused as exc:
        return _login_page(request, code_form=form, refused=exc.message, status=STATUS[exc.reason])
    open_member_session(request, ticket)
    return redirect(_next(request))


@space_post_only
def send_link(request):
    """E-mail a sign-in link to the member with this address; the same answer whoever asks."""
    form = EmailLoginForm(request.POST)
    if not form.is_valid():
        return _login_page(request, email_form=form, status=400)
    ip = client_ip(request)
    now = timezone.now()
    recent = MemberLoginFailure.objects.filter(ip=ip, at__gte=now - links.FAILURE_WINDOW).count()
    if recent >= links.MAX_FAILURES:
        return _login_page(
            request,
            email_form=form,
            refused="Trop de demandes de lien en peu de temps : réessayez dans 15 minutes.",
            status=429,
        )
    # Counted like a wrong code: asking for links in a loop is throttled the same way.
    MemberLoginFailure.objects.create(ip=ip or None, at=now)
    members = Member.objects.in_office(timezone.localdate(now)).select_related(
        "application", "call"
    )
    # Queued: the worker makes the link and writes the e-mail (council.space.tasks).
    base_url = request.build_absolute_uri("/")
    for member in members.filter(application__email__iexact=form.cleaned_data["email"]):
        send_login_link.enqueue(member_id=member.pk, base_url=base_url)
    return redirect(reverse("member_login:login") + "?envoye=1")


@require_http_methods(["GET", "POST"])
def link(request, token: str):
    """A link from an e-mail: GET shows a button (mail scanners open links), POST signs in."""
    try:
        ticket = links.peek_link(token) if request.method == "GET" else links.use_link(token)
    except links.LoginRefused as exc:
        return _login_page(request, refused=exc.message, status=STATUS[exc.reason])
    if request.method == "GET":
        return render(
            request,
            "council/space/link.html",
            {"given_name": ticket.member.application.given_name, "next": _next(request)},
        )
    open_member_session(request, ticket)
    return redirect(_next(request))


@space_post_only
def logout(request):
    close_member_session(request)
    return render(request, "council/space/logged_out.html")
