"""Homegrown: a strategy game about Japan's push for homegrown wireless base-station technology."""

__version__ = "0.1.0"
