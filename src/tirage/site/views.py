"""Public pages: home (the current call), accessibility statement, privacy notice, legal notice."""

from __future__ import annotations

from django.shortcuts import render
from django.template.loader import select_template
from django.utils import timezone

from tirage.calls.models import Call


def _call_context(call) -> dict:
    now = timezone.now()
    if call is None:
        return {"call": None}
    return {
        "call": call,
        "is_open": call.is_open(now),
        "is_closed": call.is_closed(now),
        "not_yet_open": now < call.opens_at,
        "offices": list(call.offices.all()),
        "about_template": select_template(
            [f"site/about/{call.slug}.html", "site/about/default.html"]
        ).template.name,
    }


def home(request):
    return render(request, "site/home.html", _call_context(Call.objects.current()))


def accessibility(request):
    return render(request, "site/accessibility.html", {"call": Call.objects.current()})


def privacy(request):
    return render(request, "site/privacy.html", {"call": Call.objects.current()})


def legal(request):
    return render(request, "site/legal.html", {"call": Call.objects.current()})
