"""The code inventory: which repositories public bodies publish, crawled from their forges.

Owns: the list of accounts (``sources``), the crawl (``crawl``: every forge in parallel,
politely, resumable), the SQLite store and its tables (``store``, ``tables``: the one owner of
the crawl database, which hands readers one ``snapshot``), repository addresses (``urls``),
health signals and score (``health``, ``health_pass``), ``publiccode.yml`` checking
(``publiccode``) and Software Heritage's archival status (``archive``).

May import: the shared values and the forge adapters (:mod:`crawlers`).
"""
