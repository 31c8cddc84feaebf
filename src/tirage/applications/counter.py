"""Counter entry: an agent types in a paper form, hands over a printed receipt.

Built for the keyboard: one compact form, autofocus on the name, dates typed
JJ/MM/AAAA or JJMMAAAA, the agent's mairie preselected. After a save the form
comes back empty (post/redirect/get) with the receipt code in large type.
A submission key in the form makes a double submit harmless.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils import timezone

from tirage.applications.models import Application, Channel
from tirage.applications.services import CallClosed, pool_frozen, submit_application
from tirage.applications.staff_forms import CounterEntryForm
from tirage.applications.staff_views import visible_or_403
from tirage.backoffice import roles
from tirage.backoffice.shell import staff_render
from tirage.calls.models import PARIS, Call

SESSION_LAST = "counter_last_application"


def _agent_office(request):
    """A counter agent's mairie (they type forms for it only); None for coordinators."""
    if roles.has_role(request.user, roles.COORDINATOR):
        return None
    office = roles.office_of(request.user)
    if office is None:
        raise PermissionDenied(
            "Aucune mairie de quartier n'est associée à votre compte : demandez-le à la "
            "coordination avant de saisir des formulaires."
        )
    return office


def _blank_form(request, call) -> CounterEntryForm:
    return CounterEntryForm(
        call=call,
        agent_office=_agent_office(request),
        initial={
            "office": roles.office_of(request.user),
            "received_on": timezone.now().astimezone(PARIS).date(),
            "submission_key": uuid.uuid4().hex,
        },
    )


@roles.role_required(roles.COORDINATOR, roles.COUNTER_AGENT)
def counter_entry(request):
    call = Call.objects.current_or_404()
    if request.method == "POST":
        form = CounterEntryForm(request.POST, call=call, agent_office=_agent_office(request))
        form.is_valid()
        form.apply_area()
        if not form.errors:
            data = form.cleaned_data
            try:
                submission = submit_application(
                    call,
                    form.applicant_data(),
                    channel=Channel.PAPER,
                    office=data["office"],
                    agent=request.user,
                    received_on=data["received_on"],
                    submission_key=data["submission_key"],
                )
            except CallClosed as exc:
                form.add_error("received_on", str(exc))
            else:
                # Shown once by the next GET (post/redirect/get): the code in large type.
                request.session[SESSION_LAST] = {
                    "pk": submission.application.pk,
                    "again": not submission.created,
                }
                return redirect("applications_staff:counter")
        form.mark_errors()
        status = 400
    else:
        form = _blank_form(request, call)
        status = 200
    last, again = None, False
    saved = request.session.pop(SESSION_LAST, None) if request.method == "GET" else None
    if saved:
        last = Application.objects.visible_to(request.user).filter(pk=saved["pk"]).first()
        again = saved["again"]
    return staff_render(
        request,
        "applications/staff/counter.html",
        {
            "call": call,
            "form": form,
            "last": last,
            "again": again,
            "closed": call.is_closed(),
            "frozen": pool_frozen(call),
        },
        status=status,
    )


@roles.role_required(roles.COORDINATOR, roles.COUNTER_AGENT)
def receipt(request, pk: int):
    """A printable receipt (print CSS, A5-sized) for the applicant."""
    application = visible_or_403(request, pk)
    return staff_render(
        request, "applications/staff/receipt.html", {"app": application, "call": application.call}
    )
