"""Forge adapters: one module per forge family behind the interface of :mod:`crawlers.base`.

Owns: everything that talks to a forge's API: listing an owner's repositories (``github``,
``github_graphql``, ``gitlab``, ``gitea``), reading repositories' root files
(``rootfiles``, ``gitlab_graphql``, ``github_graphql``), the one HTTP layer they share
(``http``: ETags, retries, rate limits), licence identifiers (``licenses``) and which adapter
serves which forge (``registry``). Adapters return raw, normalised facts; the catalogue
(:mod:`inventory.catalogue`) interprets and stores them.

May import: the shared values of :mod:`inventory` (``model``, ``errors``...) only.
"""
