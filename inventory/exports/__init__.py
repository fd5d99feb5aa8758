"""The open data: every downloadable file, one registry, one writer.

Owns: the list of files with their descriptions and schemas (``files``), the writer that
``inventory export`` and the site both call (``publish``), one renderer per file family
(``algorithms``, ``repositories``, ``links``, ``indicators``) and the Table Schemas generated
from code (``tableschemas``).

May import: the shared values, :mod:`inventory.register`, :mod:`inventory.catalogue`,
:mod:`inventory.interchange` and :mod:`inventory.insights`.
"""
