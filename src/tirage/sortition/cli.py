"""``tirage sortition …``: check, solve, build a lottery, draw, verify.

::

    tirage sortition check   FEATURES.csv PEOPLE.csv --seats K
    tirage sortition solve   FEATURES.csv PEOPLE.csv --seats K [--objective …] [--json OUT]
    tirage sortition lottery FEATURES.csv PEOPLE.csv --seats K --panels 1000 --out BUNDLE
    tirage sortition draw    BUNDLE (--dice D D D | --seed TEXT) [--json OUT]
    tirage sortition verify  BUNDLE [RESULT]
    tirage sortition replace BUNDLE RESULT --leaving ID [ID …] [--panel ID …]

A thin layer: it parses the arguments, calls the engine (``pipeline.prepare_lottery``
for ``lottery``, the same function the web app calls) and prints the report.
``main(argv) -> int`` returns 0 on success and 2 on bad input, infeasible
quotas or failed verification (message on stderr, never a traceback).
``draw``, ``verify`` and ``replace`` import neither the solver (highspy) nor
numpy, so a minimal install can verify a public draw. No Django import.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, NoReturn

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as Bar
from rich.table import Column, Table

from tirage.sortition.bundle import load_bundle
from tirage.sortition.choices import LOTTERY_OBJECTIVES, LOTTERY_SIZES, OBJECTIVES, PRICINGS
from tirage.sortition.errors import InfeasibleError, InputError, SortitionError
from tirage.sortition.io import read_instance
from tirage.sortition.model import Instance, Progress
from tirage.sortition.reserve import replacements
from tirage.sortition.result import DrawResult, load_result, make_result
from tirage.sortition.verify import VerificationReport, verify

if TYPE_CHECKING:  # annotations only: these modules import numpy and the solver
    from tirage.sortition.feasibility import Relaxation
    from tirage.sortition.solve import SolveResult

__all__ = ["main", "RichProgress"]


class RichProgress(Progress):
    """The engine's ``Progress`` protocol drawn as a rich progress bar on stderr.

    Use as a context manager; one bar per ``stage``. When stderr is not a terminal
    (redirected to a log, a pipe), a bar would print nothing at all: each new
    message is written as a plain line instead, ``[  12.3 s] stage: message``
    (the engine already sends them at most every 2 s inside a round).
    """

    def __init__(self, console: Console) -> None:
        self._console = console
        self._plain = not console.is_terminal
        self._started = time.monotonic()
        self._said: dict[str, str] = {}
        self._bar = Bar(
            SpinnerColumn(),
            # folded, not cut: on 80 columns the counts were shown as « 445/1… »
            TextColumn("{task.description}", table_column=Column(ratio=1, overflow="fold")),
            BarColumn(bar_width=12),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichProgress:
        if not self._plain:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self._plain:
            self._bar.stop()

    def update(self, stage: str, done: int, total: int | None = None, message: str = "") -> None:
        description = f"{stage}: {message}" if message else stage
        if self._plain:
            if self._said.get(stage) != description:
                self._said[stage] = description
                elapsed = time.monotonic() - self._started
                self._console.print(
                    f"[{elapsed:7.1f} s] {description}", markup=False, highlight=False
                )
            return
        if stage not in self._tasks:
            self._tasks[stage] = self._bar.add_task(description, total=total)
        self._bar.update(self._tasks[stage], completed=done, total=total, description=description)


# -- argument parsing -------------------------------------------------------------
class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit code 2, no traceback (argparse default)
        self.print_usage(sys.stderr)
        raise InputError("usage", message)


def _seconds(text: str) -> float:
    """``--time-limit``: a finite number of seconds >= 0 (argparse reports the error)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds >= 0")
    return value


def _instance_args(p: argparse.ArgumentParser, objectives: Sequence[str] = ()) -> None:
    p.add_argument("features", metavar="FEATURES.csv", help="feature,value,min,max")
    p.add_argument("people", metavar="PEOPLE.csv", help="one row per person of the pool")
    p.add_argument("--seats", type=int, required=True, metavar="K", help="panel size")
    p.add_argument("--id-column", metavar="C", help="column holding the person ids")
    p.add_argument(
        "--household-columns",
        nargs="+",
        default=[],
        metavar="C",
        help="columns forming the household key (at most one person per household)",
    )
    if objectives:
        p.add_argument("--objective", choices=objectives, default="leximin")
        p.add_argument("--pricing", choices=PRICINGS, default="highs")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tirage sortition", description="Fair sortition and transparent public draws."
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("check", help="check that the quotas can be met")
    _instance_args(p)
    p.add_argument("--json", metavar="OUT", help="write the report as JSON ('-' for stdout)")

    p = sub.add_parser("solve", help="compute the fair distribution over panels")
    _instance_args(p, OBJECTIVES)
    p.add_argument("--json", metavar="OUT", help="write the result as JSON ('-' for stdout)")
    p.add_argument(
        "--time-limit",
        type=_seconds,
        metavar="SECONDS",
        help="leximin/maximin: stop after SECONDS with the best distribution found,"
        " flagged as not proven, with its gap",
    )

    p = sub.add_parser("lottery", help="solve, round to m panels and write the public bundle")
    _instance_args(p, LOTTERY_OBJECTIVES)
    p.add_argument(
        "--panels",
        type=int,
        default=LOTTERY_SIZES[0],
        choices=LOTTERY_SIZES,
        metavar="M",
        help="number of panels in the lottery: 1000 (3 dice) or 10000 (4 dice)",
    )
    p.add_argument("--out", required=True, metavar="BUNDLE", help="bundle file to write")
    p.add_argument("--title", default="", help="free text stored in the bundle")
    p.add_argument("--json", metavar="OUT", help="write a summary as JSON ('-' for stdout)")

    p = sub.add_parser("draw", help="draw the panel from the bundle with dice or a seed")
    p.add_argument("bundle", metavar="BUNDLE")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--dice",
        nargs="+",
        metavar="D",
        help="ten-sided dice read in order (3 dice for 1000 panels)",
    )
    source.add_argument("--seed", metavar="TEXT", help="public seed text")
    p.add_argument("--json", metavar="OUT", help="write the result file ('-' for stdout)")

    p = sub.add_parser("replace", help="choose replacements for members who withdraw")
    p.add_argument("bundle", metavar="BUNDLE")
    p.add_argument("result", metavar="RESULT", help="result file written by draw")
    p.add_argument("--leaving", nargs="+", required=True, metavar="ID",
                   help="ids of the members who withdraw")  # fmt: skip
    p.add_argument(
        "--panel",
        nargs="+",
        metavar="ID",
        help="current panel, if it changed since the draw (default: the drawn panel)",
    )
    p.add_argument("--json", metavar="OUT", help="write the outcome as JSON ('-' for stdout)")

    p = sub.add_parser("verify", help="re-check a bundle and a draw result (no solver)")
    p.add_argument("bundle", metavar="BUNDLE")
    p.add_argument("result", metavar="RESULT", nargs="?", help="result file written by draw")
    p.add_argument(
        "--commitment",
        metavar="HEX",
        help="the commitment announced before the draw, to compare with the bundle's",
    )
    p.add_argument("--json", metavar="OUT", help="write the report as JSON ('-' for stdout)")
    p.add_argument(
        "--lang",
        choices=["en", "fr"],
        default="en",
        help="language of the report (fr: in French, as the public « vérifier » page)",
    )
    return parser


# -- output -----------------------------------------------------------------------
def _err() -> Console:
    return Console(stderr=True, soft_wrap=True)


def _emit_json(target: str | None, data: Mapping[str, object], out: Console) -> None:
    if not target:
        return
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    if target == "-":
        sys.stdout.write(text + "\n")
    else:
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
        out.print(f"Wrote {escape(target)}")


def _print_problems(headline: str, problems: Sequence[str]) -> None:
    err = _err()
    err.print(f"[red]{headline}[/]")
    for problem in problems:
        err.print(f"  - {problem}", markup=False, highlight=False)


def _print_infeasible(reasons: Sequence[str], relaxation: Relaxation | None) -> None:
    err = _err()
    err.print("[red]Infeasible quotas[/]: no panel meets them.")
    for reason in reasons:
        err.print(f"  - {reason}", markup=False, highlight=False)
    if relaxation is None:
        err.print("No change of quotas alone can make a panel possible.", markup=False)
        return
    err.print("Smallest relaxation of the quotas that makes a panel possible:", markup=False)
    for change in relaxation.changes:
        err.print(f"  - {change.message}", markup=False, highlight=False)


@contextlib.contextmanager
def _solver_noise_to_stderr() -> Iterator[None]:
    """HiGHS prints a banner on stdout; send the process's fd 1 to stderr meanwhile
    so that ``--json -`` and the summaries stay clean."""
    try:
        sys.stdout.flush()
        fd = sys.stdout.fileno()
        err = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests, notebooks)
        yield
        return
    saved = os.dup(fd)
    try:
        os.dup2(err, fd)
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        os.dup2(saved, fd)
        os.close(saved)


def _read(args: argparse.Namespace) -> Instance:
    return read_instance(
        args.features,
        args.people,
        seats=args.seats,
        id_column=args.id_column,
        household_columns=tuple(args.household_columns),
    )


MAX_HIGH_WARNINGS = 10  # people above warn_above listed on stderr; all of them in --json


def _print_warnings(result: SolveResult) -> None:
    high = 0
    for warning in result.warnings:
        if " has selection probability " in warning:
            high += 1
            if high > MAX_HIGH_WARNINGS:
                continue
        _err().print(f"[yellow]warning[/]: {escape(warning)}")
    if high > MAX_HIGH_WARNINGS:
        more = high - MAX_HIGH_WARNINGS
        _err().print(f"[yellow]warning[/]: … and {more} more people above 0.5 (all in --json)")


def _solve_table(result: SolveResult) -> Table:
    table = Table(title=f"{result.algorithm} ({result.seconds:.1f} s)")
    table.add_column("")
    table.add_column("value", justify="right")
    values = sorted(result.probabilities.values())
    if values:
        table.add_row("people", str(len(values)))
        table.add_row("min probability", f"{values[0]:.4f}")
        table.add_row("median", f"{values[len(values) // 2]:.4f}")
        table.add_row("max probability", f"{values[-1]:.4f}")
    if result.invariants:
        held = sum(1 for c in result.invariants if c.ok)
        broken = [c.name for c in result.invariants if not c.ok]
        table.add_row("invariants", f"{held}/{len(result.invariants)} hold" + (
            f" ({', '.join(broken)} not)" if broken else ""))  # fmt: skip
    if not result.proven:
        table.add_row("proven", f"no: gap {result.gap:.2e}")
    unit = " (panels of types)" if result.types is not None else ""
    table.add_row("support size" + unit, str(result.support_size))
    table.add_row("gini", f"{result.gini:.4f}")
    return table


# -- commands ---------------------------------------------------------------------
def _cmd_check(args: argparse.Namespace, out: Console) -> int:
    # Function-level import: feasibility needs the solver, which draw/verify must not load.
    from tirage.sortition.feasibility import check

    instance = _read(args)
    with _solver_noise_to_stderr():
        report = check(instance)
    _emit_json(args.json, report.to_dict(), out)
    if report.feasible:
        out.print(
            f"[green]Feasible[/]: {instance.n} people, {len(instance.features)} features, "
            f"{instance.seats} seats."
        )
        return 0
    _print_infeasible([r.message for r in report.reasons], report.relaxation)
    return 2


def _starting(progress: Progress, args: argparse.Namespace, instance: Instance) -> None:
    """The first progress line, before the solver's own (its first comes after the seeding)."""
    message = f"{instance.n} people, {instance.seats} seats: computing the distribution"
    progress.update(args.objective, 0, None, message)


def _cmd_solve(args: argparse.Namespace, out: Console) -> int:
    # Function-level import: solve needs numpy and the solver, which draw/verify must not load.
    from tirage.sortition.solve import solve

    if args.time_limit is not None and args.objective not in ("leximin", "maximin"):
        raise InputError(
            "usage",
            f"--time-limit applies to leximin and maximin only, not to {args.objective}",
        )
    instance = _read(args)
    try:
        with _solver_noise_to_stderr(), RichProgress(_err()) as progress:
            _starting(progress, args, instance)
            result = solve(
                instance,
                objective=args.objective,
                pricing=args.pricing,
                progress=progress,
                time_limit=args.time_limit,
            )
    except InfeasibleError as exc:
        if exc.report is not None:  # the feasibility report, as `check --json` writes it
            _emit_json(args.json, exc.report.to_dict(), out)
        raise
    _print_warnings(result)
    out.print(_solve_table(result))
    _emit_json(args.json, result.to_json(), out)
    if result.ok:
        return 0
    _print_problems(
        "the solver's result breaks required invariants",
        [f"{c.name}: {c.detail}" for c in result.failed_invariants],
    )
    return 2


def _cmd_lottery(args: argparse.Namespace, out: Console) -> int:
    # Function-level import: the pipeline needs numpy and the solver (see _cmd_solve).
    from tirage.sortition.pipeline import prepare_lottery

    instance = _read(args)
    try:
        with _solver_noise_to_stderr(), RichProgress(_err()) as progress:
            _starting(progress, args, instance)
            prepared = prepare_lottery(
                instance,
                panels=args.panels,
                objective=args.objective,
                pricing=args.pricing,
                metadata={"title": args.title} if args.title else None,
                progress=progress,
            )
    except InfeasibleError as exc:
        if exc.report is not None:
            _emit_json(args.json, exc.report.to_dict(), out)
        raise
    _print_warnings(prepared.solution)
    prepared.bundle.write(args.out)
    lottery, algorithm = prepared.lottery, prepared.solution.algorithm
    before = min(lottery.original.values(), default=0.0)
    after = prepared.min_probability
    table = Table(title=f"Lottery over {lottery.m} panels")
    table.add_column("")
    table.add_column("value", justify="right")
    table.add_row("algorithm", algorithm)
    if not prepared.solution.proven:
        table.add_row("proven", f"no: gap {prepared.solution.gap:.2e} (said in the bundle)")
    table.add_row("distinct panels", str(len(lottery.counts)))
    if lottery.type_panels is not None and lottery.type_listed is not None:
        # the solver's support may hold type panels the rounding listed 0 times
        listed = int((lottery.type_listed > 0).sum())
        table.add_row(
            "distinct panels of types", f"{listed} (solver support {len(lottery.type_panels)})"
        )
    table.add_row("min probability (solver → lottery)", f"{before:.4f} → {after:.4f}")
    table.add_row("largest change of a probability", f"{lottery.max_change:.6f}")
    table.add_row("guaranteed bound", f"{lottery.bound:.6f}")
    table.add_row("rounding", lottery.method)
    out.print(table)
    out.print(f"Wrote {escape(str(args.out))}. Publish its commitment before the draw:")
    out.print(prepared.commitment, soft_wrap=True, highlight=False)
    summary = {
        "bundle": args.out,
        "commitment": prepared.commitment,
        "m": lottery.m,
        "distinct_panels": len(lottery.counts),
        "max_change": lottery.max_change,
        "bound": lottery.bound,
        "min_probability_before": before,
        "min_probability_after": after,
        "algorithm": algorithm,
        "proven": prepared.solution.proven,
        "gap": prepared.solution.gap,
    }
    _emit_json(args.json, summary, out)
    return 0


def _parse_dice(tokens: Sequence[str]) -> list[int]:
    dice = []
    for position, token in enumerate(tokens, start=1):
        token = token.strip()
        if not (len(token) == 1 and token.isdigit() and token.isascii()):
            raise InputError(
                "bad_die",
                f"die {position} is {token!r}: each die must be a "
                "whole number from 0 to 9, separated by spaces (4 2 7)",
            )
        dice.append(int(token))
    return dice


def _refuse_overwrite(target: str | None, *inputs: str) -> None:
    """``--json`` must not name an input file (the published bundle would be lost)."""
    if not target or target == "-" or not os.path.exists(target):
        return
    for path in inputs:
        if os.path.exists(path) and os.path.samefile(target, path):
            raise InputError("overwrite", f"--json {target} would overwrite the input {path}")


def _cmd_draw(args: argparse.Namespace, out: Console) -> int:
    _refuse_overwrite(args.json, args.bundle)
    bundle = load_bundle(args.bundle)
    report = verify(bundle)
    if not report.ok:
        _print_problems("the bundle does not verify; no draw made", report.problems)
        return 2
    dice = _parse_dice(args.dice) if args.dice is not None else None
    result = make_result(bundle, dice=dice, seed=args.seed)
    instance = bundle.instance()
    by_id = {p.id: p for p in instance.people}
    source = " ".join(map(str, result.randomness.dice)) if dice is not None else repr(args.seed)
    out.print(f"Commitment {bundle.commitment}", soft_wrap=True, highlight=False)
    out.print(f"Randomness {escape(source)} → panel [bold]{result.index}[/] of {bundle.m}")
    table = Table(title="Selected panel")
    table.add_column("#", justify="right")
    table.add_column("id")
    for f in instance.features:
        table.add_column(escape(f.label or f.name))
    for n, pid in enumerate(result.selected, start=1):
        values = (by_id[pid].values[f.name] for f in instance.features)
        table.add_row(str(n), escape(pid), *map(escape, values))
    out.print(table)
    order = result.reserve.order
    shown = "" if len(order) <= 10 else f" (first 10 of {len(order)})"
    out.print(f"Reserve order{shown}: {', '.join(order[:10])}", markup=False, highlight=False)
    if args.json and args.json != "-":  # canonical JSON, as docs/draw-protocol.md says
        result.write(args.json)
        out.print(f"Wrote {escape(args.json)}")
    elif args.json:
        _emit_json(args.json, result.to_json(), out)
    else:
        _err().print(
            "[yellow]note[/]: result not saved; run again with --json RESULT to keep it for "
            "'tirage sortition verify'"
        )
    return 0


def _cmd_replace(args: argparse.Namespace, out: Console) -> int:
    _refuse_overwrite(args.json, args.bundle, args.result)
    bundle = load_bundle(args.bundle)
    data = load_result(args.result)
    report = verify(bundle, data)
    if not report.ok:
        _print_problems("bundle and result do not verify; no replacement made", report.problems)
        return 2
    result = DrawResult.from_json(data)
    panel = list(args.panel) if args.panel else list(result.selected)
    leaving = list(dict.fromkeys(args.leaving))
    try:
        chosen = replacements(bundle.instance(), panel, leaving, result.reserve.order)
    except InfeasibleError as exc:  # not "infeasible quotas": the panel was drawn
        _print_problems(
            "No replacement within the quotas: the council must revisit them (or the panel)",
            [str(r) for r in exc.params.get("reasons") or [exc.message]],
        )
        return 2
    new_panel = sorted([*(p for p in panel if p not in set(leaving)), *chosen])
    out.print(f"Leaving: {', '.join(leaving)}", markup=False, highlight=False)
    out.print(f"Replacements, in reserve order: {', '.join(chosen)}", markup=False, highlight=False)
    _emit_json(args.json, {"leaving": leaving, "replacements": chosen,
                           "panel": new_panel}, out)  # fmt: skip
    return 0


# French names of the checks of ``verify`` (``--lang fr``), as on the public « vérifier » page.
CHECKS_FR = {
    "format": "format du fichier de la loterie",
    "commitment": "engagement (SHA-256)",
    "announced commitment": "engagement annoncé avant le tirage",
    "structure": "structure du fichier de la loterie",
    "pool": "vivier",
    "panels": "panels et quotas",
    "probabilities": "probabilités",
    "rounding": "arrondi en panels",
    "rotation": "rotation des personnes au sein de chaque type",
    "result format": "format du fichier du résultat",
    "result commitment": "engagement cité par le résultat",
    "result structure": "structure du fichier du résultat",
    "randomness": "aléa (dés ou graine)",
    "index": "numéro du panel tiré",
    "selection": "personnes tirées au sort",
    "reserve": "liste complémentaire",
}

SKIPPED_FR = {
    "rotation": (
        "la loterie ne dit pas que les personnes d'un même type s'y relaient "
        "(rounding.method ne commence pas par « type-rotation/ ») : rotation non recalculée"
    ),
}

# The engine's details (English) of the pool, panels and rotation checks, said in French;
# any other detail stays in English, marked so.
DETAILS_FR: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"^(\d+) people, (\d+) features, (\d+) seats$"),
        r"\1 personnes, \2 caractéristiques, \3 sièges",
    ),
    (re.compile(r"^(\d+) panels$"), r"\1 panels"),
    (
        re.compile(r"^commitment mismatch: computed ([0-9a-f]+) published (.*)$"),
        r"empreinte recalculée \1 ≠ publiée \2",
    ),
    (
        re.compile(r"^announced commitment (.*) ≠ bundle commitment (.*)$"),
        r"empreinte annoncée \1 ≠ empreinte de la loterie \2",
    ),
    (
        re.compile(r"^result commitment (.*) ≠ bundle commitment (.*)$"),
        r"empreinte citée par le résultat \1 ≠ empreinte de la loterie \2",
    ),
    (
        re.compile(r"^reserve order differs from the one recomputed$"),
        r"l'ordre de la liste complémentaire diffère de celui recalculé",
    ),
    (
        re.compile(r"^reserve for seat of (.+) differs from the one recomputed$"),
        r"la liste complémentaire du siège de \1 diffère de celle recalculée",
    ),
    (
        re.compile(r"^… and (\d+) more problems in (.+)$"),
        r"… et \1 autres problèmes (contrôle \2)",
    ),
    (
        re.compile(r"^bundle lists (\d+) panels, m = (\d+)$"),
        r"la loterie compte \1 panels au lieu de m = \2",
    ),
    (
        re.compile(r"^person (.+)'s probability (.+) ≠ published (.+)$"),
        r"chance de \1 recalculée \2 ≠ publiée \3",
    ),
    (
        re.compile(r"^rounding: max_change (.+) ≠ published (.+)$"),
        r"arrondi : écart maximal recalculé \1 ≠ publié \2",
    ),
    (
        re.compile(
            r"^(\d+) types, (\d+) type panels: counts within a type differ by at most one "
            r"and the (\d+) panels are the rotation of their type panels$"
        ),
        r"\1 types de personnes interchangeables, \2 panels de types : au sein de chaque "
        r"type, les nombres de panels diffèrent d'au plus un, et les \3 panels sont "
        r"exactement ceux de la rotation publiée",
    ),
    (
        re.compile(
            r"^type (.+) \((\d+) people\): counts from (\d+) to (\d+), they differ by more than one$"
        ),
        r"type \1 (\2 personnes) : de \3 à \4 panels, un écart de plus d'un",
    ),
    (
        re.compile(
            r"^panel (\d+) is not the rotation of the type panels: it lists (\[.*\]) "
            r"where the rotation gives (\[.*\])$"
        ),
        r"le panel n° \1 n'est pas celui de la rotation : il contient \2 là où la rotation "
        r"donne \3",
    ),
]


def _in_french(detail: str) -> str:
    """``detail`` in French when its wording is known, else as written, marked (en anglais)."""
    if not detail:
        return detail
    parts = []
    for part in detail.split("; "):
        for pattern, french in DETAILS_FR:
            if pattern.match(part):
                parts.append(pattern.sub(french, part))
                break
        else:
            parts.append(f"(en anglais) {part}")
    return " ; ".join(parts)


def _cmd_verify(args: argparse.Namespace, out: Console) -> int:
    bundle = load_bundle(args.bundle)
    result = load_result(args.result) if args.result else None
    report = verify(bundle, result, announced=args.commitment)
    if args.lang == "fr":
        return _verify_in_french(report, args, out)
    table = Table(title="Verification")
    table.add_column("check")
    table.add_column("result")
    table.add_column("detail", overflow="fold")
    for name, passed, detail in report.checks:
        table.add_row(name, "[green]ok[/]" if passed else "[red]FAILED[/]", escape(detail))
    for name, reason in report.skipped:
        table.add_row(name, "[yellow]not verified[/]", escape(reason))
    out.print(table)
    _emit_json(args.json, report.to_json(), out)
    if report.ok:
        if report.skipped:
            names = ", ".join(name for name, _ in report.skipped)
            out.print(f"[green]Verified[/]: every check made passed; not verified: {names}.")
        else:
            out.print("[green]Verified[/]: every check passed.")
        return 0
    _print_problems("verification failed", report.problems)
    return 2


def _verify_in_french(report: VerificationReport, args: argparse.Namespace, out: Console) -> int:
    """The verification table and verdict in French; the details of a failure stay as the
    engine wrote them (in English), under their French check name."""
    table = Table(title="Vérification du tirage au sort")
    table.add_column("contrôle")
    table.add_column("résultat")
    table.add_column("détail", overflow="fold")
    for name, passed, detail in report.checks:
        table.add_row(
            CHECKS_FR.get(name, name),
            "[green]juste[/]" if passed else "[red]FAUX[/]",
            escape(detail if name in ("commitment", "index") else _in_french(detail)),
        )
    for name, reason in report.skipped:
        table.add_row(
            CHECKS_FR.get(name, name),
            "[yellow]non vérifié[/]",
            escape(SKIPPED_FR.get(name, reason)),
        )
    out.print(table)
    _emit_json(args.json, report.to_json(), out)
    if report.ok:
        verdict = f"[green]Vérifié[/] : les {len(report.checks)} contrôles effectués sont justes"
        if report.skipped:
            names = ", ".join(CHECKS_FR.get(name, name) for name, _ in report.skipped)
            verdict += f" ; non vérifié : {names}"
        out.print(verdict + ".", highlight=False)
        return 0
    failed = [CHECKS_FR.get(n, n) for n, passed, _ in report.checks if not passed]
    _print_problems(
        f"La vérification a échoué ({len(failed)} contrôle(s) faux : {', '.join(failed)}). "
        "Détail :",
        [_in_french(problem) for problem in report.problems],
    )
    return 2


COMMANDS = {
    "check": _cmd_check,
    "solve": _cmd_solve,
    "lottery": _cmd_lottery,
    "draw": _cmd_draw,
    "verify": _cmd_verify,
    "replace": _cmd_replace,
}


def _print_error(message: str) -> None:
    print(f"tirage sortition: error: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tirage sortition`` with ``argv`` (without the program name). Returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # soft_wrap: a long line (a file's path) is never broken in two when piped.
    out = Console(soft_wrap=True)
    try:
        args = _parser().parse_args(argv)
        if args.json == "-":  # stdout is for the JSON alone
            out = Console(stderr=True, soft_wrap=True)
        return COMMANDS[args.command](args, out)
    except InfeasibleError as exc:
        if exc.report is not None:
            reasons = [r.message for r in exc.report.reasons]
            _print_infeasible(reasons, exc.report.relaxation)
        else:
            _print_infeasible([str(r) for r in exc.params.get("reasons") or [exc.message]], None)
        return 2
    except SortitionError as exc:
        _print_error(exc.message)
        return 2
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        _print_error(f"{exc.strerror or exc}{where}")
        return 2
    except ModuleNotFoundError as exc:
        _print_error(f"this command needs the module {exc.name!r}, which is not installed")
        return 2
    except ValueError as exc:  # invalid data rejected by the model (e.g. duplicate id)
        _print_error(str(exc))
        return 2
    except KeyboardInterrupt:
        print("tirage sortition: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except Exception as exc:  # never a traceback for users; TIRAGE_DEBUG=1 shows it
        if os.environ.get("TIRAGE_DEBUG"):
            raise
        print(
            f"tirage sortition: internal error ({type(exc).__name__}): {exc}. "
            "Please report it; set TIRAGE_DEBUG=1 to see the traceback.",
            file=sys.stderr,
        )
        return 1
