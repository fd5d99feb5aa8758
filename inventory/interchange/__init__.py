"""Documents in and out of the register: spreadsheets, new records, other registers.

Owns: the Etalab inventory as a table (``table``: the columns the CSV export writes and the
import reads back), reading spreadsheets (``sheets``) and importing them (``importer``),
scaffolding a new record (``scaffold``), and the exports for the UK ATRS and the Dutch
Algoritmeregister (``foreign``).

May import: the shared values and :mod:`inventory.register`.
"""
