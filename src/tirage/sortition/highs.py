"""One place to create HiGHS solvers: silent and deterministic.

HiGHS prints a copyright banner on the standard output the first time a
solver is created in a process, whatever ``output_flag`` says; it would mix
with the CLI's ``--json -`` output and the demo's last lines. The first
creation therefore runs with file descriptor 1 pointed at ``/dev/null``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import highspy

_banner_shown = False


@contextmanager
def _stdout_silenced() -> Iterator[None]:
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def new_highs() -> highspy.Highs:
    """A ``highspy.Highs`` with logging off (``output_flag=False``)."""
    global _banner_shown
    if _banner_shown:
        h = highspy.Highs()
    else:
        try:
            with _stdout_silenced():
                h = highspy.Highs()
        except OSError:  # no usable file descriptor 1: let the banner through
            h = highspy.Highs()
        _banner_shown = True
    h.setOptionValue("output_flag", False)
    return h
