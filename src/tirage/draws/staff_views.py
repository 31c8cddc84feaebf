"""Staff pages of the draw: freeze, prepare, commit, ceremony, procès-verbal."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from tirage.audit.services import log_action
from tirage.backoffice.roles import COORDINATOR, OBSERVER, has_role, role_required
from tirage.backoffice.shell import post_only, staff_render
from tirage.calls.models import Call
from tirage.draws import charts, services, stats
from tirage.draws.forms import DiceForm, FreezeForm, MinutesForm, PrepareForm
from tirage.draws.minutes import render_minutes
from tirage.draws.models import Draw, DrawResult
from tirage.draws.pool import FreezeError, current_pool, freeze_blockers, freeze_pool
from tirage.draws.views import result_context
from tirage.ops.heartbeat import unclaimed_since
from tirage.site.dates import french_date

STAGE_LABELS = {
    "start": "Démarrage",
    "leximin": "Calcul des probabilités (LEXIMIN)",
    "peeling": "Calcul des probabilités (LEXIMIN) : construction des panels",
    "goldilocks": "Calcul des probabilités (Goldilocks)",
    "legacy": "Calcul des probabilités (méthode de secours)",
    "rounding": "Arrondi en loterie de panels",
    "done": "Terminé",
    "failed": "Échec",
}


def progress_of(draw: Draw) -> dict:
    """What the progress bar shows: French stage label, value/max (None when unknown) and a sentence."""
    done, total = draw.progress_done, draw.progress_total
    text = ""
    if draw.progress_stage in {"leximin", "goldilocks"} and total:
        text = f"{done} personne(s) sur {total} ont déjà leur probabilité fixée."
    elif draw.progress_stage == "peeling":
        text = "Les probabilités de tous sont fixées ensemble, à la fin de cette étape."
    elif draw.progress_stage == "rounding":
        text = f"Arrondi à {draw.panels} panels."
    elif draw.progress_stage == "goldilocks":
        text = f"{done} essai(s) du plancher de probabilité."
    # Rounding reports 0 of 1: an indeterminate bar reads better than « 0 % » after LEXIMIN's 100 %.
    value = maximum = percent = None
    if total is not None and total > 0 and draw.progress_stage != "rounding":
        value, maximum = min(done, total), total
        percent = round(100 * value / total)
    return {
        "stage": STAGE_LABELS.get(
            draw.progress_stage, draw.progress_stage or "En attente de démarrage"
        ),
        "value": value,
        "max": maximum,
        "percent": percent,
        "text": text,
    }


# ?suivi=auto: backoffice/follow.js updates the progress box while the computation runs.
FOLLOW = "suivi"


def _follow_computation():
    """Back to the overview, following the computation: the person who launched it asked for it."""
    return redirect(reverse("draws_staff:overview") + f"?{FOLLOW}=auto")


@role_required(COORDINATOR, OBSERVER)
def overview(request):
    call = Call.objects.current()
    pool = current_pool(call) if call else None
    draw = pool.draws.order_by("-created_at", "-id").first() if pool else None
    rows = stats.value_rows(draw, stats.population_shares(call)) if draw and draw.summary else []
    interrupted = draw is not None and draw.is_interrupted()
    context = {
        "call": call,
        "pool": pool,
        "draw": draw,
        "freeze_form": FreezeForm(),
        "prepare_form": PrepareForm(),
        "rows": rows,
        "probability_charts": charts.probability_charts(rows),
        "share_charts": charts.share_charts(rows, seats=call.seats, pool_size=pool.size)
        if rows and call is not None and pool is not None
        else [],
        "population_source": stats.POPULATION_SOURCE,
        "progress": progress_of(draw) if draw else None,
        # Follow only on request, with a link to stop it (RGAA 13.1.1, WCAG 2.2.1).
        "interrupted": interrupted,
        "unclaimed_since": unclaimed_since(draw.task_id)
        if draw is not None and draw.status == Draw.Status.PENDING
        else None,
        "blockers": freeze_blockers(call)
        if call is not None and pool is None and call.is_closed()
        else [],
        "auto_refresh": request.GET.get(FOLLOW) == "auto"
        and draw is not None
        and draw.status in (Draw.Status.PENDING, Draw.Status.RUNNING)
        and not interrupted,
        "above_half": sum(
            1 for c in (draw.summary.get("probabilities") or {}).values() if 2 * c > draw.panels
        )
        if draw is not None and draw.summary
        else 0,
        "can_act": has_role(request.user, COORDINATOR),
    }
    counts = (
        list((draw.summary.get("probabilities") or {}).values()) if draw and draw.summary else []
    )
    if counts and draw is not None:
        # The chances of the rounded lottery (the one published and looked up by code),
        # as in the tables below; the engine's exact optimum differs by the rounding.
        context["lowest"] = min(counts) / draw.panels
        context["highest"] = max(counts) / draw.panels
    if draw and draw.status == Draw.Status.DRAWN:
        context.update(result_context(draw))
    return staff_render(request, "draws/staff/overview.html", context)


@role_required(COORDINATOR)
@post_only
def freeze(request):
    form = FreezeForm(request.POST)
    form.is_valid()
    try:
        pool = freeze_pool(
            Call.objects.current_or_404(),
            actor=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except FreezeError as exc:
        if exc.blockers:
            # The page lists each one as a link (``freeze_blockers``); the message stays short.
            messages.error(
                request,
                f"Le vivier ne peut pas être gelé : {len(exc.blockers)} candidature(s) à traiter "
                "d'abord, listées sous « 1. Geler le vivier ».",
            )
        else:
            messages.error(request, str(exc))
    else:
        messages.success(
            request, f"Vivier gelé : {pool.size} candidatures, empreinte {pool.fingerprint}."
        )
    return redirect("draws_staff:overview")


@role_required(COORDINATOR)
@post_only
def prepare(request):
    form = PrepareForm(request.POST)
    pool = current_pool(Call.objects.current_or_404())
    if pool is None:
        messages.error(request, "Gelez d'abord le vivier.")
    elif form.is_valid():
        try:
            draw = services.create_draw(pool, actor=request.user, **form.cleaned_data)
        except services.DrawError as exc:
            messages.error(request, str(exc))
        else:
            services.start_preparation(draw)
            messages.success(request, "Calcul de la loterie lancé.")
            return _follow_computation()
    return redirect("draws_staff:overview")


@role_required(COORDINATOR)
@post_only
def commit(request, pk: int):
    """Publish the commitment, after a confirmation step that says what cannot be undone."""
    draw = get_object_or_404(Draw.objects.select_related("pool__call"), pk=pk)
    if request.POST.get("confirmer") != "1":
        if draw.status != Draw.Status.PREPARED:
            messages.error(
                request,
                f"Seul un tirage calculé peut être publié (statut : {draw.get_status_display()}).",
            )
            return redirect("draws_staff:overview")
        return staff_render(
            request, "draws/staff/commit_confirm.html", {"draw": draw, "call": draw.call}
        )
    try:
        services.commit_draw(draw, actor=request.user)
    except services.DrawError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Engagement publié : la page publique du tirage est en ligne.")
    return redirect("draws_staff:overview")


@role_required(COORDINATOR)
@post_only
def redraw(request, pk: int):
    draw = get_object_or_404(Draw, pk=pk)
    try:
        new = services.redraw(draw, actor=request.user, reason=request.POST.get("reason", ""))
    except services.DrawError as exc:
        messages.error(request, str(exc))
    else:
        services.start_preparation(new)
        messages.success(request, "Nouveau tirage enregistré ; son engagement devra être publié.")
        return _follow_computation()
    return redirect("draws_staff:overview")


@role_required(COORDINATOR)
@post_only
def restart(request, pk: int):
    """Start again a computation whose worker died (shown « interrompu »); audited."""
    draw = get_object_or_404(Draw, pk=pk)
    try:
        services.restart_preparation(draw, actor=request.user)
    except services.DrawError as exc:
        messages.error(request, str(exc))
        return redirect("draws_staff:overview")
    messages.success(request, "Calcul relancé depuis le début.")
    return _follow_computation()


@role_required(COORDINATOR)
def ceremony(request, pk: int):
    """The projector page: the operator types each die; the result is shown once recorded."""
    draw = get_object_or_404(Draw.objects.select_related("pool__call"), pk=pk)
    if draw.status == Draw.Status.DRAWN:
        return render(
            request,
            "draws/ceremony.html",
            {"draw": draw, "call": draw.call, **result_context(draw)},
        )
    if draw.status != Draw.Status.COMMITTED:
        error = (
            f"Pas de cérémonie pour ce tirage : son engagement n'est pas publié "
            f"(statut : {draw.get_status_display()})."
        )
        return render(
            request, "draws/ceremony.html", {"draw": draw, "call": draw.call, "error": error}
        )
    announced = draw.call.draw_date
    early_until = french_date(announced) if timezone.localdate() < announced else ""
    form = DiceForm(
        request.POST or None,
        dice_count=draw.dice_count,
        method=draw.method,
        early_until=early_until,
    )
    error = ""
    confirming = False
    if request.method == "POST" and form.is_valid():
        # Enter after the last die asks for a confirmation; only « Enregistrer » records.
        if "corriger" in request.POST:
            pass  # back to the form, the dice typed kept
        elif request.POST.get("confirmer") != "1":
            confirming = True
        else:
            try:
                if draw.method == Draw.Method.DICE:
                    services.perform_draw(
                        draw,
                        actor=request.user,
                        dice=form.dice(),
                        early_reason=form.cleaned_data.get("early_reason", ""),
                    )
                else:
                    services.perform_draw(
                        draw,
                        actor=request.user,
                        seed=form.cleaned_data["seed"],
                        early_reason=form.cleaned_data.get("early_reason", ""),
                    )
            except services.DrawError as exc:
                if DrawResult.objects.filter(draw=draw).exists():
                    # Another operator recorded the result a moment earlier: show it, unchanged.
                    return redirect("draws_staff:ceremony", pk=draw.pk)
                error = str(exc)
            else:
                return redirect("draws_staff:ceremony", pk=draw.pk)
    return render(
        request,
        "draws/ceremony.html",
        {
            "draw": draw,
            "call": draw.call,
            "form": form,
            "error": error,
            "confirming": confirming,
            "early_until": early_until,
            "entered": (
                " · ".join(str(d) for d in form.dice())
                if confirming and draw.method == Draw.Method.DICE
                else form.cleaned_data.get("seed", "")
                if confirming
                else ""
            ),
        },
    )


@role_required(COORDINATOR)
def minutes(request, pk: int):
    """Procès-verbal: staff type the place and witnesses, then download the PDF for signing."""
    draw = get_object_or_404(Draw, pk=pk, status=Draw.Status.DRAWN)
    result = draw.result
    form = MinutesForm(
        request.POST or None, initial={"place": result.place, "witnesses": result.witnesses}
    )
    if request.method == "POST" and form.is_valid():
        result.place = form.cleaned_data["place"]
        result.witnesses = form.cleaned_data["witnesses"]
        result.save(update_fields=["place", "witnesses"])
        log_action(draw, "draw.minutes_completed", actor=request.user, data=form.cleaned_data)
        messages.success(
            request, "Lieu et témoins enregistrés : ils figurent dans le procès-verbal."
        )
        return redirect("draws_staff:minutes", pk=pk)
    return staff_render(
        request, "draws/staff/minutes.html", {"draw": draw, "form": form, "call": draw.call}
    )


@role_required(COORDINATOR)
def minutes_pdf(request, pk: int):
    draw = get_object_or_404(Draw, pk=pk, status=Draw.Status.DRAWN)
    response = HttpResponse(render_minutes(draw, with_names=True), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="proces-verbal-tirage-{draw.pk}.pdf"'
    return response
