"""What joins the two flows: records and crawled code, per administration.

Owns: the administrations (``administrations``: records and crawled accounts joined), the
links between records and repositories (``links``, ``link_check`` for ``check --links``), the
transparency indicators (``indicators``), all of them computed once (``overview``), the Atom
feeds (``feeds``) and the build-time charts (``charts``).

May import: the shared values, :mod:`inventory.register` and :mod:`inventory.catalogue`.
"""
