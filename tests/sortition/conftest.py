"""Solved instances shared by several test modules (each solve is done once per session)."""

from __future__ import annotations

import pytest

from tirage.sortition.solve import solve

from ._data import load


@pytest.fixture(scope="session")
def civic():
    return load("civic_synth_400_k20")


@pytest.fixture(scope="session")
def civic_leximin(civic):
    return solve(civic)


@pytest.fixture(scope="session")
def fixture150():
    return load("sortition_algorithms_fixture_150")


@pytest.fixture(scope="session")
def fixture150_highs(fixture150):
    return solve(fixture150, pricing="highs")
