"""Inventaire des codes sources et des algorithmes publics.

The library is usable on its own; :mod:`inventory.cli` is a thin click layer over it.
"""

__version__ = "0.1.0"
