"""French labels of the record format: field names (Etalab guide wording) and enum values."""

from __future__ import annotations

from collections.abc import Mapping

STATUT: Mapping[str, str] = {
    "en_service": "En service",
    "en_developpement": "En développement",
    "experimentation": "Expérimentation",
    "retire": "Retiré",
}
NIVEAU: Mapping[str, str] = {
    "decision_entierement_automatisee": "Décision entièrement automatisée",
    "aide_a_la_decision": "Aide à la décision",
}
TYPE: Mapping[str, str] = {
    "systeme_de_regles": "Système de règles",
    "apprentissage_automatique": "Apprentissage automatique",
    "hybride": "Hybride",
}
PORTEE: Mapping[str, str] = {
    "externe": "Externe (usagers)",
    "interne": "Interne (procédure interne)",
}
RESSOURCE: Mapping[str, str] = {
    "code_source": "Code source",
    "logigramme": "Logigramme",
    "documentation": "Documentation",
    "formulaire": "Formulaire",
    "texte": "Texte",
    "donnees": "Données",
    "autre": "Autre",
}

# The catalogue's filters: data-* attribute -> (record field, labels).
FILTERS: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "niveau": ("niveau_automatisation", NIVEAU),
    "type": ("type_algorithme", TYPE),
    "statut": ("statut", STATUT),
    "portee": ("portee_decision", PORTEE),
}

# Enum labels by record field (also used by the format page).
BY_FIELD: Mapping[str, Mapping[str, str]] = {
    "statut": STATUT,
    "niveau_automatisation": NIVEAU,
    "type_algorithme": TYPE,
    "portee_decision": PORTEE,
    "ressources.type": RESSOURCE,
}

FIELD: Mapping[str, str] = {
    "nom": "Nom de l'algorithme",
    "administration.nom": "Nom de l'administration concernée",
    "administration.sigle": "Sigle",
    "administration.direction": "Direction ou service porteur",
    "administration.pso_id": "Identifiant dans l'Annuaire de l'administration",
    "contact": "Contact au sein de l'administration",
    "date_mise_a_jour": "Date de mise à jour des informations",
    "statut": "Statut",
    "contexte": "Contexte global",
    "finalite": "Finalité de l'algorithme",
    "intervention_dans_la_decision": (
        "Comment et quand l'algorithme intervient-il dans la prise de décision ?"
    ),
    "niveau_automatisation": "Niveau d'automatisation de la décision",
    "fondements_juridiques": "Fondements juridiques",
    "decisions_par_an": "Nombre de décisions administratives prises par an",
    "portee_decision": "Portée de la décision",
    "public_concerne": "Public concerné par la décision",
    "donnees": "Données traitées, source et mode de collecte",
    "type_algorithme": "Type d'algorithme",
    "operations": "Opérations effectuées par l'algorithme",
    "parametres": "Paramètres et leur pondération",
    "ressources": "Ressources connexes",
}


def label(labels: Mapping[str, str], code: object) -> str:
    """The French label of an enum code; the code itself when unknown, '' when absent."""
    if code is None or code == "":
        return ""
    return labels.get(str(code), str(code))
