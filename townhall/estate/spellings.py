"""How cities write the estate's choices in their own spreadsheets, per model and field.

Plain Python, read by the importer (`imports.values.choice`) beside each field's own
values and labels, which it already accepts in any case and spacing (and as a unique
abbreviation of three letters or more). Listed here are the other words a county
inventory uses for the same thing: "On-Prem" for on premises, "Cloud/SaaS" for SaaS.
Keep each word on one value only; the importer compares them without case, spaces or
punctuation, so "on-prem", "On Prem" and "ONPREM" are one entry.
"""

# A system's and a component's support status (`estate.models.SupportState`): how a vendor
# sheet says support goes on with no end in sight, or that nobody has looked yet.
SUPPORT_STATE: dict[str, tuple[str, ...]] = {
    "unknown": ("not known", "tbd", "to be determined", "unsure", "needs review", "?"),
    "no_end_date": (
        "supported",
        "no end date",
        "no end date announced",
        "no eos",
        "no eol",
        "ongoing",
        "fully supported",
        "vendor supported",
    ),
    "dated": ("end date known", "eos announced", "eol announced", "end announced", "date known"),
}

SPELLINGS: dict[str, dict[str, dict[str, tuple[str, ...]]]] = {
    "system": {
        "support_state": SUPPORT_STATE,
        "hosting": {
            "on_premises": (
                "on prem",
                "on-premise",
                "on premise",
                "on site",
                "onsite",
                "in house",
                "local",
                "self hosted",
                "county data center",
                "city data center",
                "data center",
            ),
            "saas": (
                "cloud/saas",
                "cloud saas",
                "saas cloud",
                "software as a service",
                "vendor hosted",
                "hosted by vendor",
                "hosted",
                "subscription",
            ),
            "cloud": (
                "cloud",
                "iaas",
                "paas",
                "iaas/paas",
                "public cloud",
                "azure",
                "aws",
                "amazon web services",
                "google cloud",
                "gcp",
            ),
            "partner": (
                "partner",
                "partner agency",
                "partner hosted",
                "shared service",
                "state hosted",
                "hosted by the state",
                "hosted by state",
                "other agency",
            ),
        },
        "lifecycle": {
            "planned": ("plan", "proposed", "future", "pipeline"),
            "phase_in": ("implementation", "implementing", "rolling out", "pilot", "new"),
            "active": ("in use", "in service", "production", "live", "current", "operational"),
            "phase_out": ("sunset", "sunsetting", "legacy", "decommissioning", "retiring"),
            "retired": ("decommissioned", "inactive", "end of life", "eol", "gone", "archived"),
        },
        "time_disposition": {
            "tolerate": ("t", "keep", "maintain"),
            "invest": ("i", "grow", "enhance"),
            "migrate": ("m", "replace", "move", "modernize", "modernise"),
            "eliminate": ("e", "retire", "decommission", "sunset"),
        },
        "data_classification": {
            "public": ("open", "unclassified", "level 1"),
            "internal": ("internal use", "internal only", "official", "level 2"),
            "confidential": ("sensitive", "private", "level 3"),
            "restricted": ("highly restricted", "secret", "highly sensitive", "level 4"),
        },
    },
    "component": {
        "support_state": SUPPORT_STATE,
        "kind": {
            "server": ("physical server", "host", "bare metal", "hardware server"),
            "virtual_machine": ("vm", "virtual server", "virtual", "guest"),
            "storage": ("san", "nas", "disk array", "storage array"),
            "network_device": ("switch", "router", "network", "access point", "wap"),
            "firewall": ("fw", "utm"),
            "endpoint_fleet": ("endpoints", "laptops", "desktops", "pcs", "workstations"),
            "radio_system": ("radio", "p25", "lmr", "land mobile radio"),
            "iot_fleet": ("iot", "sensors", "sensor fleet", "iot sensors"),
            "database": ("db", "database server", "rdbms"),
            "cloud_service": ("cloud", "saas", "iaas", "paas"),
        },
        "status": {
            "planned": ("on order", "ordered", "proposed"),
            "in_service": ("active", "in use", "production", "deployed", "live"),
            "spare": ("in stock", "inventory", "standby", "cold spare"),
            "retired": ("decommissioned", "disposed", "surplus", "eol", "end of life"),
        },
    },
    "contract": {
        "kind": {
            "licence": ("license", "licensing", "perpetual license", "software license"),
            "subscription": ("saas", "annual subscription", "term license"),
            "support": ("support and maintenance", "s&m", "technical support"),
            "maintenance": ("hardware maintenance", "m&s", "upkeep"),
            "services": ("professional services", "consulting", "implementation"),
        },
    },
    "dependency": {
        "kind": {
            "runs_on": ("hosted on", "installed on", "depends on", "uses"),
            "stores_data_in": ("stores data", "database", "data store", "writes to"),
            "authenticates_with": ("authentication", "sso", "login", "identity"),
            "network_path": ("network", "connects through", "via"),
            "integrates_with": ("integration", "interface", "feeds", "api"),
            "powered_by": ("power", "ups", "generator"),
        },
    },
    "location": {
        "kind": {
            "data_center": ("datacenter", "dc", "server room", "colo", "colocation"),
            "office": ("building", "city hall", "county building", "admin building"),
            "911_center": ("psap", "dispatch", "911", "e911", "ecc", "emergency communications"),
            "tower_site": ("tower", "radio tower", "antenna site"),
            "cloud_region": ("cloud", "region", "azure region", "aws region"),
        },
    },
    "service": {
        "audience": {
            "residents": ("public", "citizens", "community", "constituents"),
            "businesses": ("business", "vendors", "contractors", "developers"),
            "internal": ("staff", "employees", "internal staff", "departments"),
        },
    },
}
