"""Documents in and out of the register: spreadsheets, new records, other registers.

Owns: the Etalab inventory as a table (``table``: the columns the CSV export writes and the
import reads back), reading spreadsheets (``sheets``) and importing them (``importer``),
scaffolding a new record (``scaffold``), the exports for the UK ATRS and the Dutch
Algoritmeregister (``foreign``), and the texts owed to the person concerned by a decision
(``rights``: explicit mention, explanation, request letter, from the templates of ``textes/``;
``documents``: as text, Markdown, HTML and OpenDocument).

May import: the shared values and :mod:`inventory.register`.
"""
