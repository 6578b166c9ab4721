"""Amity: an open-source city-diplomacy platform."""

__version__ = "0.1.0"
