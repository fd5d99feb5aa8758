"""The algorithm register: the record format and its checking (``inventory check``).

Owns: reading a record safely with line marks (``records``), the JSON Schema and its French
errors (``schema``, ``fields``, ``labels``, ``messages``, ``suggest`` lives at the top),
the rules across records (``rules``), the whole check (``validate``), its report formats
(``report``) and writing record data back as YAML (``emit``).

May import: the shared values at the top of :mod:`inventory` only.
"""
