"""French wording of a failed lottery computation, for the staff page.

The engine raises errors with a stable ``code`` and English text; staff read
French. For impossible quotas we recount the frozen pool ourselves, so that
the message names the criterion and the numbers to change.
"""

from __future__ import annotations

from tirage.draws.models import FrozenPool


def quota_problems(pool: FrozenPool) -> list[str]:
    """Plain French reasons why no panel of ``pool`` can meet the call's quotas (may be empty).

    Checks, per feature: each value's minimum against the number of
    applications with that value, and the sums of minima and maxima against
    the number of seats.
    """
    call = pool.call
    members = list(pool.members.values_list("values", flat=True))
    problems: list[str] = []
    for feature in call.features.prefetch_related("values"):
        values = list(feature.values.all())
        for value in values:
            count = sum(1 for m in members if m.get(feature.key) == value.key)
            if value.min > count:
                problems.append(
                    f"{feature.label} « {value.label} » : il faut au moins {value.min} membre(s), "
                    f"mais le vivier n'a que {count} candidature(s)"
                )
        if sum(v.min for v in values) > call.seats:
            problems.append(
                f"{feature.label} : la somme des minimums ({sum(v.min for v in values)}) "
                f"dépasse le nombre de sièges ({call.seats})"
            )
        reachable = sum(
            min(v.max, sum(1 for m in members if m.get(feature.key) == v.key)) for v in values
        )
        if reachable < call.seats:
            problems.append(
                f"{feature.label} : au plus {reachable} membre(s) possibles avec les maximums "
                f"et le vivier, pour {call.seats} sièges"
            )
    return problems


def french_error(exc: Exception, pool: FrozenPool) -> str:
    """The message stored on a failed ``Draw`` (French), from an engine or file error."""
    code = getattr(exc, "code", "")
    if code == "infeasible_quotas":
        problems = quota_problems(pool)
        text = "Aucun panel ne respecte tous les quotas"
        if problems:
            return (
                f"{text} : "
                + " ; ".join(problems)
                + ". Corrigez les quotas puis gelez un nouveau vivier."
            )
        return f"{text} (combinaison de critères impossible). Vérifiez les quotas puis gelez un nouveau vivier."
    if code == "solver_failed":
        return "Le solveur d'optimisation s'est arrêté sans résultat. Relancez le calcul ; si l'échec se répète, signalez-le."
    if isinstance(exc, OSError):
        return f"Impossible d'écrire le fichier de la loterie ({exc.strerror or exc}). Vérifiez le dossier des documents."
    return f"Le calcul a échoué (code « {code or type(exc).__name__} ») : {exc}"
