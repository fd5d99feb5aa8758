"""Official field lists of the other registers, written by hand from their sources.

Not a copy of the third-party files: only the names and permitted values the mapping in
inventory/interchange/foreign.py must match, so that a typo there fails a test.
"""

from __future__ import annotations

# Dutch Algoritmeregister, publication standard 1.0: the top-level properties of
# github.com/MinBZK/Algoritmeregister, backend/app/schemas/config/v1_0.json (file last changed
# by commit be01f3a18e93754da2fd7463645ec3a49247d8dc; read at repository head
# 4885a0537d142638732f7d83676800a701411e93 on 2026-11-28), in that file's order.
DUTCH_FIELDS = (
    "name",
    "description_short",
    "organization",
    "category",
    "status",
    "begin_date",
    "end_date",
    "contact_email",
    "website",
    "publication_category",
    "url",
    "goal",
    "proportionality",
    "human_intervention",
    "risks",
    "lawful_basis",
    "lawful_basis_grouping",
    "process_index_url",
    "impacttoetsen_grouping",
    "impacttoetsen",
    "source_data",
    "source_data_grouping",
    "methods_and_models",
    "provider",
    "publiccode",
    "lang",
    "standard_version",
    "source_id",
    "tags",
    "lars",
    "publication_dt",
)

# Same file: the item properties of lawful_basis_grouping, impacttoetsen_grouping and
# source_data_grouping (all three are lists of {title, link}).
DUTCH_GROUPING_ITEM_FIELDS = ("title", "link")

# Same file: ``permitted_values`` of the enumerated properties.
DUTCH_PERMITTED = {
    "status": ("In ontwikkeling", "In gebruik", "Buiten gebruik"),
    "publication_category": (
        "Hoog-risico AI-systeem",
        "Impactvolle algoritmes",
        "Overige algoritmes",
    ),
    "lang": ("nld",),
    "standard_version": ("1.0",),
}

# UK ATRS: GOV.UK's publication schema for algorithmic transparency records,
# github.com/alphagov/specialist-publisher,
# lib/documents/schemas/algorithmic_transparency_records.json (read at repository head
# a9801882bf069f0a26d17d92d70802efcde3c979 on 2026-11-28): the labels of the facet
# ``algorithmic_transparency_record_phase``. No official machine-readable list of the tier 1 /
# tier 2 field names was found, so there is no fixture for them.
ATRS_PHASE_LABELS = (
    "Pre-deployment",
    "Beta/Pilot",
    "Private Beta",
    "Public Beta",
    "Production",
    "Retired",
)
