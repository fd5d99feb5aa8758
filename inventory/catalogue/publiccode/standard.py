"""The publiccode.yml standard as data: versions, code lists, keys of each section.

Written from the standard's documentation (publiccodeyml/publiccode.yml, ``docs/standard``:
the core schema, the Italian section, the categories, scopes and aliases lists, the changelog
for what each version changed); nothing here is copied from another implementation.
"""

from __future__ import annotations

#: ``publiccodeYmlVersion`` values the standard's parsers accept; ``"0"`` is the current way
#: of writing it (the latest 0.x), the others are older releases (accepted with a warning).
VERSIONS = (
    "0",
    "0.2",
    "0.2.0",
    "0.2.1",
    "0.2.2",
    "0.3",
    "0.3.0",
    "0.4",
    "0.4.0",
    "0.5",
    "0.5.0",
    "0.7",
    "0.7.0",
)
CURRENT_VERSIONS = ("0", "0.7", "0.7.0")

DEVELOPMENT_STATUSES = ("concept", "development", "beta", "stable", "obsolete")
SOFTWARE_TYPES = (
    "standalone/mobile",
    "standalone/iot",
    "standalone/desktop",
    "standalone/web",
    "standalone/backend",
    "standalone/other",
    "addon",
    "library",
    "configurationFiles",
)
MAINTENANCE_TYPES = ("internal", "contract", "community", "none")
#: Suggested platforms; other human-readable values are allowed.
PLATFORMS = ("web", "windows", "mac", "linux", "ios", "android")

CATEGORIES = frozenset(
    [
        "accounting",
        "agile-project-management",
        "applicant-tracking",
        "application-development",
        "appointment-scheduling",
        "backup",
        "billing-and-invoicing",
        "blog",
        "budgeting",
        "business-intelligence",
        "business-process-management",
        "cad",
        "call-center-management",
        "cloud-management",
        "collaboration",
        "communications",
        "compliance-management",
        "contact-management",
        "content-management",
        "crm",
        "customer-service-and-support",
        "data-analytics",
        "data-collection",
        "data-visualization",
        "design",
        "design-system",
        "digital-asset-management",
        "digital-citizenship",
        "document-management",
        "donor-management",
        "e-commerce",
        "e-signature",
        "educational-content",
        "email-management",
        "email-marketing",
        "employee-management",
        "enterprise-project-management",
        "enterprise-social-networking",
        "erp",
        "event-management",
        "facility-management",
        "feedback-and-reviews-management",
        "financial-reporting",
        "fleet-management",
        "fundraising",
        "gamification",
        "geographic-information-systems",
        "grant-management",
        "graphic-design",
        "help-desk",
        "hr",
        "ide",
        "identity-management",
        "instant-messaging",
        "integrated-library-system",
        "inventory-management",
        "it-asset-management",
        "it-development",
        "it-management",
        "it-security",
        "it-service-management",
        "knowledge-management",
        "learning-management-system",
        "marketing",
        "mind-mapping",
        "mobile-marketing",
        "mobile-payment",
        "network-management",
        "office",
        "online-booking",
        "online-community",
        "payment-gateway",
        "payroll",
        "predictive-analysis",
        "procurement",
        "productivity-suite",
        "project-collaboration",
        "project-management",
        "property-management",
        "real-estate-management",
        "regulations-and-directives",
        "remote-support",
        "resource-management",
        "sales-management",
        "seo",
        "service-desk",
        "social-media-management",
        "survey",
        "talent-management",
        "task-management",
        "taxes-management",
        "test-management",
        "time-management",
        "time-tracking",
        "translation",
        "video-conferencing",
        "video-editing",
        "visitor-management",
        "voip",
        "warehouse-management",
        "web-collaboration",
        "web-conferencing",
        "website-builder",
        "whistleblowing",
        "workflow-management",
        "other",
    ]
)

SCOPES = frozenset(
    [
        "agriculture",
        "culture",
        "defence",
        "education",
        "emergency-services",
        "employment",
        "energy",
        "environment",
        "finance-and-economic-development",
        "foreign-affairs",
        "government",
        "healthcare",
        "infrastructures",
        "justice",
        "local-authorities",
        "manufacturing",
        "research",
        "science-and-technology",
        "security",
        "society",
        "sport",
        "tourism",
        "transportation",
        "welfare",
    ]
)

#: ``supports[].id`` aliases (``alias:<name>``).
ALIASES = frozenset({"gdpr", "eidas", "nis2", "cra", "spid", "cie", "anpr", "pagopa", "io"})

#: Registered top-level media types (RFC 6838), for ``inputTypes``/``outputTypes``.
MEDIA_TOP_LEVELS = frozenset(
    {"application", "audio", "example", "font", "haptics", "image", "message", "model"}
    | {"multipart", "text", "video"}
)

# --- keys of each section --------------------------------------------------------------------
# Each known key, with what it is: the checks live in :mod:`.checks`; a key absent from these
# tables is unknown (an error, as in the reference parser: a typo would otherwise be ignored).

TOP_KEYS = frozenset(
    [
        "publiccodeYmlVersion",
        "name",
        "applicationSuite",
        "url",
        "landingURL",
        "isBasedOn",
        "softwareVersion",
        "releaseDate",
        "logo",
        "monochromeLogo",
        "inputTypes",
        "outputTypes",
        "platforms",
        "categories",
        "usedBy",
        "fundedBy",
        "roadmap",
        "developmentStatus",
        "softwareType",
        "supports",
        "organisation",
        "intendedAudience",
        "description",
        "legal",
        "maintenance",
        "localisation",
        "dependsOn",
        "IT",
        "it",
    ]
)
DESCRIPTION_KEYS = frozenset(
    [
        "localisedName",
        "genericName",
        "shortDescription",
        "longDescription",
        "documentation",
        "apiDocumentation",
        "features",
        "screenshots",
        "videos",
        "awards",
    ]
)
LEGAL_KEYS = frozenset({"license", "mainCopyrightOwner", "repoOwner", "authorsFile"})
MAINTENANCE_KEYS = frozenset({"type", "contractors", "contacts"})
LOCALISATION_KEYS = frozenset({"localisationReady", "availableLanguages"})
AUDIENCE_KEYS = frozenset({"countries", "unsupportedCountries", "scope"})
DEPENDS_KEYS = frozenset({"open", "proprietary", "hardware"})
DEPENDENCY_KEYS = frozenset({"name", "versionMin", "versionMax", "version", "optional"})
CONTACT_KEYS = frozenset({"name", "email", "phone", "affiliation"})
CONTRACTOR_KEYS = frozenset({"name", "until", "email", "website"})
ORGANISATION_KEYS = frozenset({"name", "uri"})
SUPPORT_KEYS = frozenset({"id"})

#: The Italian section (deprecated as a whole since 0.7).
IT_KEYS = frozenset({"countryExtensionVersion", "conforme", "riuso", "piattaforme"})
IT_EXTENSION_VERSIONS = ("0.2", "1.0")
IT_CONFORME_KEYS = frozenset(
    {"lineeGuidaDesign", "modelloInteroperabilita", "misureMinimeSicurezza", "gdpr"}
)
IT_PIATTAFORME_KEYS = frozenset({"spid", "cie", "anpr", "pagopa", "io"})
IT_RIUSO_KEYS = frozenset({"codiceIPA"})

#: Deprecated keys (path as written, ``*`` for a language) and what to use instead.
DEPRECATED = {
    ("monochromeLogo",): "clé dépréciée depuis la version 0.3 : supprimez-la",
    ("inputTypes",): "clé dépréciée depuis la version 0.3 : supprimez-la",
    ("outputTypes",): "clé dépréciée depuis la version 0.3 : supprimez-la",
    ("description", "*", "genericName"): "clé dépréciée depuis la version 0.3 : supprimez-la",
    ("legal", "authorsFile"): "clé dépréciée depuis la version 0.4 : supprimez-la",
    ("legal", "repoOwner"): "clé dépréciée depuis la version 0.5 : utilisez organisation.name",
}

SHORT_MAX = 150
LONG_MIN = 150
LONG_MAX = 10_000
GENERIC_NAME_MAX = 35
