"""Tirage's sortition engine: fair stratified selection and a transparent lottery.

Usable without Django. The modules, in the order a draw goes through them:

* ``io`` reads the pool and the quotas into a ``model.Instance`` (whose
  ``PanelRules`` say what a valid panel is); ``choices`` lists the objectives,
  pricings and lottery sizes;
* ``feasibility`` says whether a panel exists, and if not why;
* ``pipeline.prepare_lottery`` (what the CLI and the web app call) runs
  ``solve`` (types in ``symmetry``; ``leximin``, ``goldilocks`` or ``legacy``;
  ``expand`` to people; ``invariants``), then ``rounding`` and ``bundle``;
* ``draw`` maps dice or a seed to a panel, ``result`` records the draw and its
  ``reserve``; ``verify`` re-checks bundle and result without numpy or a solver;
* ``cli`` is ``tirage sortition …``.

See ``docs/sortition-solve.md`` for the methods and the papers they implement,
and ``docs/draw-protocol.md`` for the public protocol.
"""

from tirage.sortition.model import Feature, Instance, Person, Quota, normalise_key

__all__ = ["Feature", "Instance", "Person", "Quota", "normalise_key"]
