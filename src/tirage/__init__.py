"""Tirage: citizens' councils drawn by lot."""

__version__ = "0.1.0"
