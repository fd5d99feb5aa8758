"""Forge adapters: one module per forge family behind the interface of :mod:`crawlers.base`."""
