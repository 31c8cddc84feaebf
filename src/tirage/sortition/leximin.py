"""LEXIMIN (and maximin) over types by column generation.

Implements the algorithm of Flanigan, Gölz, Gupta, Hennig and Procaccia,
*Fair algorithms for selecting citizens' assemblies*, Nature 596 (2021),
Methods and Supplementary Information: maximise the smallest selection
probability, fix the probabilities that are tight in every optimum, repeat on
the others. Each round is an LP over the panels generated so far (the
*restricted master*), solved by HiGHS:

    maximise z
    s.t.  sum_P lambda_P * c_P[t]/size[t] - z >= 0      for every unfixed type t
          sum_P lambda_P * c_P[t]/size[t]     >= f[t]   for every fixed type t
          sum_P lambda_P = 1,  lambda >= 0,  0 <= z <= 1

Its duals ``y[t] >= 0`` (with ``sum over unfixed y = 1``) price a new panel by
``sum_t y[t] * c[t] / size[t]`` (see ``pricing``); when no panel beats the best
existing one by ``CG_TOL`` the round is optimal over *all* panels. Types with a
dual above ``DUAL_EPS`` are tight in every optimum (complementary slackness) and
are fixed at ``z - FIX_SLACK``. Working over types instead of people (see
``symmetry``) shrinks the LPs and the pricing programs by the pool's symmetry
and gives interchangeable people exactly equal probabilities.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import highspy
import numpy as np

from tirage.sortition.colgen import (
    CG_TOL,
    DUAL_EPS,
    FIX_SLACK,
    ColumnPool,
    OnInfeasible,
    new_lp,
    no_panel,
    seed_columns,
)
from tirage.sortition.decompose import Decomposition, decompose, polish
from tirage.sortition.model import NO_PROGRESS, Progress
from tirage.sortition.peel import REST_TOL, peel
from tirage.sortition.pricing import PricingOracle, PricingStopped
from tirage.sortition.relaxation import Relaxation, herd
from tirage.sortition.swaps import SwapSearch
from tirage.sortition.symmetry import TypeModel

__all__ = [
    "CLASSIC",
    "PEELED",
    "PEEL_STAGE",
    "SCALE",
    "Schedule",
    "Stats",
    "TypeSolution",
    "leximin_types",
]

Stats = dict[str, int | float | str]
"""Solver counters (rounds, LP solves, pricing calls, columns, types...): name → number."""

HEURISTIC_STARTS = 2  # swap hill-climbs per iteration before calling the exact pricing
PROGRESS_EVERY = 2.0  # seconds between progress reports inside a round
CLOSE_TOL = 1e-9  # a round closes when the master is this close to the relaxation's bound
# (tighter than CG_TOL: a round closed 1e-7 low let a few types end 1.4e-7 high)
HERD_WORK = 300_000  # panels herded x types: fewer herded panels on larger pools
PRICING_TIME_LIMIT = 120.0  # seconds: no exact pricing call runs longer (then: its bound)
PEEL_STAGE = "peeling"
"""The progress stage of the walk: ``done`` of 100 is ``log(rest) / log(REST_TOL)`` in
percent (the mass left falls about geometrically, so this is about the share of the steps
done): nobody's probability is settled before the walk ends, and the stage's own ``0 of
pool_size`` showed a bar at 0 % for the whole walk (minutes on 30,000 people)."""


@dataclass(frozen=True)
class Schedule:
    """How one LEXIMIN iteration looks for new columns.

    ``starts``: swap hill-climbs from the best existing panels (each may add a
    column); ``exact_below``: call the exact pricing when the climbs' best reduced
    cost is below this share of the last exact one (0: only when they find none);
    ``smoothing``: Wentges dual smoothing, the weight of the stability centre (the
    duals with the best Lagrangian bound so far) in the duals priced (0: off);
    ``seed_by_climbing``: the first panels come from climbs, the integer program
    only proving that the types left uncovered cannot be on any panel;
    ``relaxation``: bound every round by the LP relaxation over expected counts
    (``relaxation.Relaxation``) and close it as soon as the master reaches that
    bound; ``herd``: how many panels to add first by herding towards the
    relaxation's LEXIMIN vector (``relaxation.herd``; 0: none; at most
    ``HERD_WORK / T``: a climb costs about T); ``decompose``: first try to write the
    relaxation's LEXIMIN vector as a distribution over panels (``decompose``): when
    it succeeds the result is proven LEXIMIN without any round; ``decompose_seconds``
    (wall) bounds that attempt, after which the rounds start with its columns;
    ``peel``: before herding, peel panels off that vector (``peel``, a Carathéodory
    walk on the faces of the relaxation): when it peels all but ``peel.REST_TOL`` of
    the mass the panels are the decomposition (no herding, no phase-1 LP), otherwise
    they are the phase-1 LP's first columns; ``peel_seconds`` (wall) bounds it.
    """

    starts: int
    exact_below: float
    smoothing: float
    seed_by_climbing: bool = False
    relaxation: bool = False
    herd: int = 0
    decompose: bool = False
    decompose_seconds: float = 60.0
    peel: bool = False
    peel_seconds: float = 600.0


CLASSIC = Schedule(starts=HEURISTIC_STARTS, exact_below=0.0, smoothing=0.0)
"""LEXIMIN by rounds (Flanigan et al.) with the exact pricing when two climbs find
nothing: the default below ``SCALE_FROM`` types before peeling came; kept as the
reference the tests compare the other schedules with."""
PEELED = Schedule(starts=HEURISTIC_STARTS, exact_below=0.0, smoothing=0.0, peel=True)
"""Up to ``SCALE_FROM`` types, the default: peel the relaxation's LEXIMIN vector into
panels first (``peel``; proven LEXIMIN when the walk ends), ``CLASSIC``'s rounds with
the walk's panels when it does not (a relaxation that is not integral there)."""
SCALE = Schedule(
    starts=8,
    exact_below=0.2,
    smoothing=0.5,
    seed_by_climbing=True,
    relaxation=True,
    herd=300,
    decompose=True,
    peel=True,
)
"""From ``SCALE_FROM`` types: peel first; when the walk does not end, herding, the
phase-1 LP, then rounds with several columns per iteration, exact pricing as soon as
the climbs stall, smoothed duals against the degenerate tail."""
SCALE_FROM = 300  # types


@dataclass
class TypeSolution:
    """A distribution over type-count panels.

    ``columns``: ``int64 (m, T)`` panels; ``weights``: ``(m,)`` summing to 1;
    ``type_probs``: ``(T,)`` selection probability of each member of each type;
    ``maximin``: optimum of the first round (the largest achievable minimum,
    ``None`` for objectives that do not compute it; 0 when somebody cannot be on
    any panel); ``impossible``: boolean ``(T,)`` mask of the types no valid panel
    can hold; ``stats``: counters (``maximin_possible``: the largest achievable
    minimum over the other types); ``proven``: False when a time limit stopped the
    computation, ``gap`` then bounds how much the current round's minimum could
    still rise (0 when proven); ``lp_seconds``: CPU time in the master LP.
    """

    columns: np.ndarray
    weights: np.ndarray
    type_probs: np.ndarray
    maximin: float | None = None
    stats: Stats = field(default_factory=dict)
    impossible: np.ndarray | None = None
    proven: bool = True
    gap: float = 0.0
    lp_seconds: float = 0.0  # CPU seconds in the master LP's runs (not in stats: not reproducible)
    notes: list[str] = field(default_factory=list)  # English sentences for the result's warnings


class _Master:
    """The restricted master LP of one LEXIMIN run (HiGHS, warm-started)."""

    def __init__(self, model: TypeModel, pool: ColumnPool) -> None:
        self.model = model
        self.pool = pool
        T = model.n_types
        self.T = T
        h = new_lp()
        inf = highspy.kHighsInf
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        # rows 0..T-1: types; row T: convexity
        h.addRows(
            T + 1,
            np.r_[np.zeros(T), 1.0],
            np.r_[np.full(T, inf), 1.0],
            0,
            np.array([], dtype=np.int32),
            np.array([], dtype=np.int32),
            np.array([], dtype=float),
        )
        # column 0: z, coefficient -1 in every (unfixed) type row
        h.addCol(1.0, 0.0, 1.0, T, np.arange(T, dtype=np.int32), -np.ones(T))
        self.h = h
        self.n_cols_in_lp = 0
        self.fixed = np.zeros(T, dtype=bool)
        self.fixed_value = np.zeros(T)
        self.seconds = 0.0  # CPU seconds in HiGHS' runs
        self.iterations = 0  # simplex iterations, all runs

    def sync_columns(self) -> None:
        while self.n_cols_in_lp < len(self.pool):
            counts = self.pool.columns[self.n_cols_in_lp]
            idx, val = self.pool.coefficients(counts)
            self.h.addCol(
                0.0,
                0.0,
                np.inf,
                len(idx) + 1,
                np.r_[idx, self.T].astype(np.int32),
                np.r_[val, 1.0],
            )
            self.n_cols_in_lp += 1

    def fix(self, t: int, value: float) -> None:
        self.fixed[t] = True
        self.fixed_value[t] = value
        self.h.changeCoeff(int(t), 0, 0.0)
        self.h.changeRowBounds(int(t), float(value), highspy.kHighsInf)

    def run(self) -> None:
        """One HiGHS run, warm-started from the last basis (the columns added since
        enter it nonbasic, so the primal simplex starts from a feasible basis)."""
        started = time.process_time()
        self.h.run()
        self.seconds += time.process_time() - started
        self.iterations += int(self.h.getInfo().simplex_iteration_count)

    def solve(self) -> tuple[float, np.ndarray, np.ndarray]:
        """Returns (z, duals y of shape (T,), lambda of shape (m,))."""
        self.sync_columns()
        self.run()
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            # rare simplex trouble on degenerate masters: restart cold with the dual simplex
            self.h.clearSolver()
            self.h.setOptionValue("simplex_strategy", 1)
            self.run()
            self.h.setOptionValue("simplex_strategy", 4)
            status = self.h.getModelStatus()
        for _ in range(3):
            if status != highspy.HighsModelStatus.kInfeasible or not self.fixed.any():
                break
            # floating error set a settled probability a hair above what the panels can
            # give (seen once all types are settled): loosen every one by FIX_SLACK
            for t in np.flatnonzero(self.fixed):
                self.fixed_value[t] = max(0.0, self.fixed_value[t] - FIX_SLACK)
                self.h.changeRowBounds(int(t), float(self.fixed_value[t]), highspy.kHighsInf)
            self.h.clearSolver()
            self.run()
            status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"LEXIMIN master LP: {self.h.modelStatusToString(status)}")
        sol = self.h.getSolution()
        duals = np.asarray(sol.row_dual)[: self.T]
        unfixed = ~self.fixed
        # HiGHS' sign convention for a maximisation: make the unfixed duals sum to +1
        if unfixed.any() and duals[unfixed].sum() < 0:
            duals = -duals
        y = np.maximum(duals, 0.0)
        col = np.asarray(sol.col_value)
        return float(col[0]), y, col[1:]

    def drop_objective(self) -> None:
        self.h.changeColCost(0, 0.0)


def leximin_types(
    model: TypeModel,
    oracle: PricingOracle,
    *,
    rounds: int | None = None,
    progress: Progress = NO_PROGRESS,
    stage: str = "leximin",
    infeasible: OnInfeasible = no_panel,
    time_limit: float | None = None,
    schedule: Schedule | None = None,
) -> TypeSolution:
    """LEXIMIN selection probabilities over types (Flanigan et al., Nature 2021).

    ``rounds=1`` stops after the first round: the *maximin* distribution.
    Returns a ``TypeSolution`` whose ``type_probs`` is the LEXIMIN vector (each
    entry within ``CG_TOL + FIX_SLACK`` of the exact value), a basic optimal
    distribution over at most ``T + 1`` panels, and ``maximin``.

    ``time_limit`` (seconds of wall time, ``None``: none): when reached, returns
    the best distribution found so far with ``proven=False`` and ``gap`` > 0, an
    upper bound on how much the smallest unsettled probability could still rise
    in the current round (the types settled in earlier rounds are exact).
    ``schedule``: ``PEELED`` below ``SCALE_FROM`` types, ``SCALE`` from there
    (``None``), or the one given.
    Raises ``InfeasibleError`` when no panel satisfies the quotas.
    """
    started = time.perf_counter()
    deadline = None if time_limit is None else started + time_limit
    T = model.n_types
    # Said at once: a caller's page shows this stage even when it ends before the next report.
    progress.update(stage, 0, model.pool_size, f"seeding the first panels ({T} types)")
    if schedule is None:
        schedule = PEELED if T < SCALE_FROM else SCALE
    alpha = schedule.smoothing
    pool = ColumnPool(model)
    swaps = SwapSearch(model)
    swaps.deadline = deadline
    climb = swaps.climb if schedule.seed_by_climbing else None
    caller_limit = oracle.time_limit
    impossible = seed_columns(model, oracle, pool, infeasible, climb, deadline)
    relax = Relaxation(model) if schedule.relaxation else None
    herded = 0
    notes: list[str] = []
    decomposition: Decomposition | None = None
    peeling = schedule.peel and rounds is None
    herding = relax is not None and schedule.herd > 0
    target: np.ndarray | None = None
    if (peeling or herding) and len(pool):
        upper = Relaxation(model)
        if schedule.decompose or peeling:  # the bound over the panels that exist
            for t in np.flatnonzero(impossible):
                upper.fix(int(t), 0.0)
        target = upper.leximin()
    if target is not None and peeling:
        peeled = _peel(model, target, schedule, deadline, progress, stage)
        if isinstance(peeled, Decomposition):
            progress.update(
                stage,
                model.pool_size,
                model.pool_size,
                f"proven, {len(peeled.weights)} panels peeled off the relaxation's LEXIMIN vector",
            )
            return _decomposed(model, target, peeled, impossible, 0, oracle)
        for panel in peeled:  # good first columns for the phase-1 LP or the rounds
            pool.add(panel)
    if herding and target is not None:
        count = min(schedule.herd, HERD_WORK // T)
        for panel in herd(model, target, pool.columns[-1], swaps.climb, count, deadline):
            herded += pool.add(panel)
        if schedule.decompose and rounds is None:
            until = time.perf_counter() + schedule.decompose_seconds
            if deadline is not None:
                until = min(until, deadline)
            swaps.deadline = until
            decomposition = decompose(model, target * model.sizes, pool, swaps.climb, oracle, until)
            swaps.deadline = deadline
            if decomposition.status == "exact":
                progress.update(stage, model.pool_size, model.pool_size, "proven by decomposition")
                return _decomposed(model, target, decomposition, impossible, herded, oracle)
            if decomposition.status == "outside_hull":  # a fact about the instance
                notes.append(
                    "LEXIMIN by rounds: the relaxation's LEXIMIN vector is not a"
                    " distribution over panels (proven by the exact pricing)"
                )
                message = notes[-1]
            else:  # a matter of time only: the rounds below prove the result
                message = (
                    "LEXIMIN by rounds: the decomposition of the relaxation's LEXIMIN"
                    f" vector stopped (deviation {decomposition.deviation:.1e})"
                )
            progress.update(stage, 0, model.pool_size, message)
    # The relaxation's maximin bounds the first round's optimum: a gap when the time limit
    # stops that round before any pricing (PEELED has no relaxation rounds; it said 0.91 on
    # fixture_150 where the walk's panels already reached the optimum 1/11).
    first_bound = np.inf
    if target is not None and (~impossible).any():
        first_bound = float(target[~impossible].min())
    master = _Master(model, pool)
    heuristic_columns = 0
    for t in np.flatnonzero(impossible):
        master.fix(int(t), 0.0)
        if relax is not None:
            relax.fix(int(t), 0.0)
    total_people = model.pool_size
    maximin = None
    maximin_possible = 0.0
    round_no = 0
    lp_solves = 0
    closed_by_relaxation = 0
    proven = True
    gap = 0.0
    last_report = started
    z, y, lam = 0.0, np.zeros(T), np.zeros(0)

    def report(message: str) -> None:
        progress.update(stage, int(model.sizes[master.fixed].sum()), total_people, message)

    def price(weights: np.ndarray) -> tuple[np.ndarray, float] | None:
        """The exact pricing, never longer than PRICING_TIME_LIMIT nor past the deadline."""
        limit = PRICING_TIME_LIMIT
        if deadline is not None:
            limit = min(limit, max(0.0, deadline - time.perf_counter()))
        oracle.time_limit = limit
        try:
            return oracle.best(weights)
        finally:
            oracle.time_limit = caller_limit

    while not master.fixed.all():
        round_no += 1
        bound = np.inf  # best Lagrangian upper bound on this round's optimum
        center: np.ndarray | None = None  # duals that gave it (stability centre)
        exact_gap = np.inf  # reduced cost of the last exact pricing at the LP duals
        relaxed = relax.solve() if relax is not None else None
        relaxed_bound = np.inf if relaxed is None else relaxed[0]
        closed = False  # by the relaxation's bound
        while True:
            z, y, lam = master.solve()
            lp_solves += 1
            if z >= relaxed_bound - CLOSE_TOL:
                closed, gap = True, 0.0
                break
            w = y / model.sizes
            values = pool.matrix @ w
            threshold = float(values.max())
            gap = max(0.0, min(bound, relaxed_bound) - z)
            now = time.perf_counter()
            if deadline is not None and now >= deadline:
                if not np.isfinite(gap):  # no bound yet in this round: one exact pricing
                    try:
                        found = price(w)
                        gap = 0.0 if found is None else max(0.0, oracle.last_bound - threshold)
                    except PricingStopped as stopped:
                        gap = max(0.0, stopped.bound - threshold)
                proven = gap <= CG_TOL
                break
            if now - last_report >= PROGRESS_EVERY:
                last_report = now
                report(f"round {round_no}: {lp_solves} LP solves, z {z:.6f}, gap {gap:.1e}")
            # cheap heuristic first: climb from the best existing panels, several columns
            best_gain = 0.0
            added = 0
            starts = np.argsort(-values, kind="stable")[: schedule.starts]
            climbs = [(start, w) for start in starts]
            if center is not None:  # also towards the stabilised duals
                smooth = alpha * center + (1 - alpha) * w
                climbs += [(start, smooth) for start in starts[:2]]
            for start, weights in climbs:
                cand = swaps.climb(pool.columns[start], weights)
                value = float(w @ cand)
                if value > threshold + CG_TOL and pool.add(cand):
                    added += 1
                    best_gain = max(best_gain, value - threshold)
            heuristic_columns += added
            if added and (
                schedule.exact_below == 0 or best_gain >= schedule.exact_below * exact_gap
            ):
                continue
            # exact pricing: at the stabilised duals first (Wentges smoothing), then at
            # the LP duals when the smoothed column does not improve the LP (mispricing)
            fixed_term = _fixed_term(master)
            at_lp_duals = False
            try:
                if center is not None:
                    smooth = alpha * center + (1 - alpha) * w
                    found = price(smooth)
                    if found is not None:
                        ub = oracle.last_bound - float(smooth @ fixed_term)
                        if ub < bound:
                            bound, center = ub, smooth
                        if float(w @ found[0]) > threshold + CG_TOL and pool.add(found[0]):
                            continue
                at_lp_duals = True
                found = price(w)
            except PricingStopped as stopped:  # the time limit, and not even one panel
                gap = max(0.0, min(bound, relaxed_bound) - z)
                if at_lp_duals:  # Lagrangian gap at the LP duals: max_c w @ c - threshold
                    gap = min(gap, max(0.0, stopped.bound - threshold))
                proven = gap <= CG_TOL
                break
            if found is None:
                break
            ub = oracle.last_bound - float(w @ fixed_term)
            if ub < bound:
                bound = ub
                center = w if alpha > 0 else None
            exact_gap = found[1] - threshold
            if oracle.last_bound <= threshold + CG_TOL:  # no improving panel: optimal
                gap = max(0.0, exact_gap)
                break
            if found[1] <= threshold + CG_TOL:
                # the time limit stopped the pricing before it found an improving panel
                # or proved there is none: an honest stop, not proven
                gap = max(0.0, min(bound, relaxed_bound) - z)
                proven = gap <= CG_TOL
                break
            if not pool.add(found[0]) and not added:
                # an improving panel the LP already has: only floating error can say so
                gap = max(0.0, exact_gap)
                break
        if maximin is None:
            maximin_possible = z
            maximin = z if not impossible.any() else 0.0
        if not proven:
            if round_no == 1:
                gap = min(gap, max(0.0, first_bound - z))
            gap = min(gap, max(0.0, 1.0 - z))  # no probability rises above 1 (was « inf »)
            report(f"round {round_no}: time limit, not proven, gap {gap:.1e}")
            break
        unfixed = ~master.fixed
        if closed and relaxed is not None:  # tight in every optimum of the relaxation
            closed_by_relaxation += 1
            to_fix = np.flatnonzero(unfixed & (relaxed[1] > DUAL_EPS))
        else:
            to_fix = np.flatnonzero(unfixed & (y > DUAL_EPS))
        if len(to_fix) == 0:  # cannot happen in exact arithmetic (duals sum to 1)
            to_fix = np.flatnonzero(unfixed)[[int(np.argmax(y[unfixed]))]]
        for t in to_fix:
            master.fix(int(t), max(0.0, z - FIX_SLACK))
            if relax is not None:
                relax.fix(int(t), max(0.0, z - FIX_SLACK))
        report(
            f"round {round_no}: {len(to_fix)} type(s) fixed at {z:.6f}"
            f" ({lp_solves} LP solves, gap {gap:.1e})"
        )
        if rounds is not None and round_no >= rounds:
            break
    if proven and master.fixed.all():
        master.drop_objective()
        z, y, lam = master.solve()
        lp_solves += 1
    gap = min(gap, max(0.0, 1.0 - z))  # no probability rises above 1
    # columns a climb added after the last LP solve (a stop mid-iteration) have weight 0
    lam = np.r_[lam, np.zeros(len(pool) - len(lam))]
    columns, weights, type_probs = pool.distribution(lam)
    return TypeSolution(
        columns=columns,
        weights=weights,
        type_probs=type_probs,
        maximin=maximin,
        stats={
            "rounds": round_no,
            "lp_solves": lp_solves,
            "lp_iterations": master.iterations,
            "pricing_calls": oracle.calls,
            "pricing_stopped": oracle.stopped,
            "columns_generated": len(pool),
            "heuristic_columns": heuristic_columns,
            "herded_columns": herded,
            "rounds_closed_by_relaxation": closed_by_relaxation,
            "types": T,
            "maximin_possible": maximin_possible,
            "proven": int(proven),
            "gap": gap if not proven else 0.0,
            **({} if decomposition is None else _decomposition_stats(decomposition)),
        },
        impossible=impossible,
        proven=proven,
        gap=gap if not proven else 0.0,
        lp_seconds=master.seconds,
        notes=notes,
    )


def _peel(
    model: TypeModel,
    target: np.ndarray,
    schedule: Schedule,
    deadline: float | None,
    progress: Progress,
    stage: str,
) -> Decomposition | np.ndarray:
    """Peel panels off the relaxation's LEXIMIN vector ``target`` (``(T,)`` probabilities).

    Returns the exact ``Decomposition`` when the walk peeled all but ``REST_TOL`` and the
    polished weights match ``target`` to ``MATCH_TOL`` per type; otherwise the panels
    it found (``int64 (m, T)``), after saying on ``progress`` how it ended."""
    until = time.perf_counter() + schedule.peel_seconds
    if deadline is not None:
        until = min(until, deadline)
    x = target * model.sizes

    def report(step: int, rest: float) -> None:
        share = np.log(rest) / np.log(REST_TOL) if 0.0 < rest < 1.0 else float(rest <= 0.0)
        progress.update(
            PEEL_STAGE,
            min(99, int(100 * share)),
            100,
            f"panels off the relaxation's LEXIMIN vector (step {step}, mass left {rest:.1e})",
        )

    peeled = peel(model, x, until, report)
    if peeled.status == "peeled":
        polished = polish(peeled.columns, peeled.weights, x)
        if polished is not None:
            columns, weights = polished
            return Decomposition(
                "exact",
                columns,
                weights,
                deviation=float(np.abs(weights @ columns - x).sum()),
                stats={**peeled.stats, "decomposition_columns": len(peeled.columns)},
            )
    progress.update(
        stage,
        0,
        model.pool_size,
        f"peeling {peeled.status} with {peeled.rest:.1e} of the mass left",
    )
    return peeled.columns


def _decomposition_stats(dec: Decomposition) -> Stats:
    return {"decomposition": dec.status, **dec.stats}


def _decomposed(
    model: TypeModel,
    target: np.ndarray,
    dec: Decomposition,
    impossible: np.ndarray,
    herded: int,
    oracle: PricingOracle,
) -> TypeSolution:
    """The LEXIMIN solution read off an exact decomposition of the relaxation's LEXIMIN
    vector ``target`` (``(T,)`` probabilities): proven, no round needed."""
    type_probs = (dec.weights @ dec.columns) / model.sizes
    possible = ~impossible
    maximin_possible = float(target[possible].min()) if possible.any() else 0.0
    return TypeSolution(
        columns=dec.columns,
        weights=dec.weights,
        type_probs=type_probs,
        maximin=maximin_possible if not impossible.any() else 0.0,
        stats={
            "rounds": 0,
            "lp_solves": int(dec.stats.get("decomposition_lp_solves", 0)),
            "lp_iterations": 0,
            "pricing_calls": oracle.calls,
            "pricing_stopped": oracle.stopped,
            "columns_generated": int(dec.stats.get("decomposition_columns", 0)),
            "heuristic_columns": int(dec.stats.get("decomposition_climb_columns", 0)),
            "herded_columns": herded,
            "rounds_closed_by_relaxation": 0,
            "types": model.n_types,
            "maximin_possible": maximin_possible,
            "proven": 1,
            "gap": 0.0,
            **_decomposition_stats(dec),
        },
        impossible=impossible,
        proven=True,
        gap=0.0,
        lp_seconds=float(dec.stats.get("decomposition_lp_seconds", 0.0)),
    )


def _fixed_term(master: _Master) -> np.ndarray:
    """``(T,)`` vector ``size[t] * f[t]`` on fixed types (``f``: fixed probability), 0 elsewhere.

    For duals ``y >= 0`` summing to 1 over the unfixed types, the round's optimum
    over *all* panels is at most ``max_c sum_t y[t] c[t] / size[t] - sum_{t fixed}
    y[t] f[t]`` (weak LP duality, Lagrangian bound); with the pricing weights
    ``w = y / size`` the subtracted term is ``w @ _fixed_term(master)``.
    """
    return np.where(master.fixed, master.fixed_value, 0.0) * master.model.sizes
