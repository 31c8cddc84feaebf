"""Public pages of the draw: announcement, own probability, results, files, verification."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from tirage.calls.models import Call
from tirage.draws import services, stats
from tirage.draws.forms import LookupForm
from tirage.draws.models import Draw, DrawResult


def _public_draw_or_404(pk: int) -> Draw:
    draw = get_object_or_404(Draw.objects.select_related("pool__call"), pk=pk)
    if not draw.is_public:
        raise Http404("Tirage non publié")
    return draw


def announcement(request):
    call = Call.objects.current_or_404()
    draw = services.public_draw(call)
    history = Draw.objects.filter(
        pool__call=call, status=Draw.Status.CANCELLED, committed_at__isnull=False
    ).select_related("result")
    rows = stats.value_rows(draw) if draw else []
    return render(
        request,
        "draws/announcement.html",
        {
            "call": call,
            "draw": draw,
            "rows": rows,
            "form": LookupForm(),
            "cancelled": history,
            # « secteur (mairie de quartier), genre »: what « the same profile » means
            "profile_labels": ", ".join(
                f.label[:1].lower() + f.label[1:] for f in call.features.all()
            ),
        },
    )


def lookup(request):
    call = Call.objects.current_or_404()
    draw = services.public_draw(call)
    form = LookupForm(request.GET or None)
    probability = None
    count = None
    outcome = None
    if draw and form.is_valid():
        probability = stats.probability_of(draw, form.cleaned_data["code"])
        if probability is None:
            form.add_error(
                "code",
                (
                    f"Le numéro {form.cleaned_data['code']} ne figure pas dans le vivier du tirage. "
                    "Vérifiez-le sur votre récépissé. S'il est juste, votre candidature n'était peut-être pas "
                    "recevable : contactez la mairie."
                ),
            )
        else:
            count = draw.summary["probabilities"][form.cleaned_data["code"]]
            outcome = _outcome(draw, form.cleaned_data["code"])
    return render(
        request,
        "draws/lookup.html",
        {
            "call": call,
            "draw": draw,
            "form": form,
            "probability": probability,
            "count": count,
            "percent": float(probability) * 100 if probability is not None else None,
            "outcome": outcome,
        },
    )


def _outcome(draw: Draw, code: str) -> dict | None:
    """Once the draw took place: ``{"drawn_on", "selected", "reserve_rank"}`` for ``code``, else None."""
    result = DrawResult.objects.filter(draw=draw).first()
    if result is None:
        return None
    rank = result.reserve.index(code) + 1 if code in result.reserve else None
    return {
        "drawn_on": result.drawn_at,
        "selected": code in result.selected,
        "reserve_rank": rank,
    }


def results(request):
    call = Call.objects.current_or_404()
    draw = (
        Draw.objects.filter(pool__call=call, status=Draw.Status.DRAWN)
        .order_by("-created_at")
        .first()
    )
    context = {
        "call": call,
        "draw": draw,
        "cancelled_drawn": draw is None
        and Draw.objects.filter(
            pool__call=call, status=Draw.Status.CANCELLED, result__isnull=False
        ).exists(),
    }
    if draw:
        context.update(result_context(draw))
    return render(request, "draws/results.html", context)


def result_context(draw: Draw) -> dict:
    """Selected and reserve receipt codes with their feature value labels (no names)."""
    result = draw.result
    members = {m.receipt_code: m.values for m in draw.pool.members.all()}
    labels = {
        (f.key, v.key): v.label
        for f in draw.pool.call.features.prefetch_related("values")
        for v in f.values.all()
    }
    features = list(draw.pool.call.features.all())

    def describe(code):
        values = members.get(code, {})
        return {
            "code": code,
            "values": [labels.get((f.key, values.get(f.key)), "") for f in features],
        }

    return {
        "result": result,
        "features": features,
        "selected": [describe(c) for c in result.selected],
        "reserve": [describe(c) for c in result.reserve],
        "dice_text": " ".join(str(d) for d in result.randomness.get("dice", [])),
    }


def bundle_download(request, pk: int):
    draw = _public_draw_or_404(pk)
    path = services.bundle_file(draw)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"tirage-{draw.pk}-loterie.json",
        content_type="application/json",
    )


def result_download(request, pk: int):
    draw = _public_draw_or_404(pk)
    # A draw cancelled after its ceremony keeps its result public: a redraw must not hide it.
    if not hasattr(draw, "result"):
        raise Http404("Pas encore tiré")
    from django.conf import settings

    path = settings.DOCUMENTS_DIR / draw.result.result_path
    return FileResponse(
        open(path, "rb"),
        as_attachment=True,
        filename=f"tirage-{draw.pk}-resultat.json",
        content_type="application/json",
    )


def verify(request):
    """The browser verifier (``static/draws/verifier/``): the published draw, or any files.

    Works without any call or draw (files chosen by the person); offers the
    current public draw's bundle, and its result once drawn, when there is one.
    """
    call = Call.objects.current()
    draw = services.public_draw(call) if call else None
    drawn = draw is not None and hasattr(draw, "result")
    return render(request, "draws/verify.html", {"call": call, "draw": draw, "drawn": drawn})
