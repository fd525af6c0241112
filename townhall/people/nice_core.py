"""The built-in core set of the NICE Workforce Framework for Cybersecurity: the work roles
a city or county IT organization staffs, and the competency areas, by NIST's identifiers
(NICE Framework Components v1.0.0) with the names NIST gives them. The descriptions are our
own short words, not NIST's text; importing NIST's JSON release replaces them with the
official ones and adds the roles left out here (intelligence and cyberspace effects).
Plain data, no Django."""

SOURCE = "NICE Framework v1.0.0 (core set)"

WORK_ROLES: tuple[tuple[str, str, str], ...] = (
    (
        "OG-WRL-001",
        "Communications Security (COMSEC) Management",
        "Keeps the keys and equipment that protect radio and data links in order.",
    ),
    (
        "OG-WRL-002",
        "Cybersecurity Policy and Planning",
        "Writes the security policies and plans and keeps them current.",
    ),
    (
        "OG-WRL-003",
        "Cybersecurity Workforce Management",
        "Plans the security staff: roles, hiring, training and career paths.",
    ),
    (
        "OG-WRL-004",
        "Cybersecurity Curriculum Development",
        "Designs security training courses and their material.",
    ),
    ("OG-WRL-005", "Cybersecurity Instruction", "Teaches security courses and awareness sessions."),
    (
        "OG-WRL-006",
        "Cybersecurity Legal Advice",
        "Advises on the law and contracts around security and incidents.",
    ),
    (
        "OG-WRL-007",
        "Executive Cybersecurity Leadership",
        "Leads security for the whole government and answers for it to leaders.",
    ),
    (
        "OG-WRL-008",
        "Privacy Compliance",
        "Makes sure residents' personal data is handled as law and policy require.",
    ),
    (
        "OG-WRL-009",
        "Product Support Management",
        "Plans the support a system needs over its whole life.",
    ),
    (
        "OG-WRL-010",
        "Program Management",
        "Runs a program of related projects to its goals, budget and schedule.",
    ),
    (
        "OG-WRL-011",
        "Secure Project Management",
        "Runs technology projects with security built in from the start.",
    ),
    (
        "OG-WRL-012",
        "Security Control Assessment",
        "Checks whether security controls work as intended.",
    ),
    (
        "OG-WRL-013",
        "Systems Authorization",
        "Decides, on the evidence, whether a system may run with its remaining risk.",
    ),
    (
        "OG-WRL-014",
        "Systems Security Management",
        "Oversees the security of a system or a group of systems day to day.",
    ),
    (
        "OG-WRL-015",
        "Technology Portfolio Management",
        "Chooses and balances the technology investments of the organization.",
    ),
    ("OG-WRL-016", "Technology Program Auditing", "Audits technology programs and their results."),
    (
        "DD-WRL-001",
        "Cybersecurity Architecture",
        "Designs the security of systems and networks as a whole.",
    ),
    (
        "DD-WRL-002",
        "Enterprise Architecture",
        "Keeps the map of how systems, data and services fit together.",
    ),
    (
        "DD-WRL-003",
        "Secure Software Development",
        "Writes and changes software so that it stays secure.",
    ),
    (
        "DD-WRL-004",
        "Secure Systems Development",
        "Builds and integrates systems with security designed in.",
    ),
    (
        "DD-WRL-005",
        "Software Security Assessment",
        "Tests software for weaknesses before and after it goes live.",
    ),
    (
        "DD-WRL-006",
        "Systems Requirements Planning",
        "Turns what departments need into requirements a system can meet.",
    ),
    (
        "DD-WRL-007",
        "Systems Testing and Evaluation",
        "Plans and runs tests that a system does what it should.",
    ),
    (
        "DD-WRL-008",
        "Technology Research and Development",
        "Tries out new technology and judges whether it fits.",
    ),
    ("IO-WRL-001", "Data Analysis", "Turns data into findings people can act on."),
    (
        "IO-WRL-002",
        "Database Administration",
        "Runs databases: installs, tunes, backs up and restores them.",
    ),
    (
        "IO-WRL-003",
        "Knowledge Management",
        "Keeps the know-how of the organization written down and findable.",
    ),
    (
        "IO-WRL-004",
        "Network Operations",
        "Runs the network: switches, routers, firewalls, links and their settings.",
    ),
    (
        "IO-WRL-005",
        "Systems Administration",
        "Runs servers and their operating systems, accounts and patches.",
    ),
    (
        "IO-WRL-006",
        "Systems Security Analysis",
        "Analyses how secure systems are and what to change.",
    ),
    (
        "IO-WRL-007",
        "Technical Support",
        "Helps people with their devices and applications: the service desk.",
    ),
    (
        "PD-WRL-001",
        "Defensive Cybersecurity",
        "Watches for attacks and stops them: the security operations work.",
    ),
    (
        "PD-WRL-002",
        "Digital Forensics",
        "Examines devices and logs to learn what happened in an incident.",
    ),
    (
        "PD-WRL-003",
        "Incident Response",
        "Leads the response to a security incident, from first call to recovery.",
    ),
    (
        "PD-WRL-004",
        "Infrastructure Support",
        "Keeps the security tools and their infrastructure running.",
    ),
    (
        "PD-WRL-005",
        "Insider Threat Analysis",
        "Looks for harm done from inside, by mistake or on purpose.",
    ),
    ("PD-WRL-006", "Threat Analysis", "Follows who attacks governments like ours and how."),
    (
        "PD-WRL-007",
        "Vulnerability Analysis",
        "Finds weaknesses in systems and networks and ranks their fixes.",
    ),
    (
        "IN-WRL-001",
        "Cybercrime Investigation",
        "Investigates crimes committed through computers and networks.",
    ),
    (
        "IN-WRL-002",
        "Digital Evidence Analysis",
        "Collects and keeps digital evidence so that it holds up.",
    ),
)

COMPETENCY_AREAS: tuple[tuple[str, str, str], ...] = (
    (
        "NF-COM-001",
        "Access Controls",
        "Who may reach what, and keeping it so: accounts, roles, sign-in.",
    ),
    (
        "NF-COM-002",
        "Artificial Intelligence (AI) Security",
        "Using AI tools safely and protecting them from misuse.",
    ),
    (
        "NF-COM-003",
        "Asset Management",
        "Knowing what hardware, software and data the government has, through its life.",
    ),
    (
        "NF-COM-004",
        "Cloud Security",
        "Protecting the services and data the government keeps with cloud providers.",
    ),
    (
        "NF-COM-005",
        "Communications Security",
        "Protecting what travels over networks and radio links.",
    ),
    ("NF-COM-006", "Cryptography", "Encryption and signatures, and the keys behind them."),
    (
        "NF-COM-007",
        "Cyber Resiliency",
        "Keeping services going through an attack and bringing them back after.",
    ),
    (
        "NF-COM-008",
        "DevSecOps",
        "Building security into how software is written, tested and released.",
    ),
    (
        "NF-COM-009",
        "Operating Systems (OS) Security",
        "Setting up and keeping operating systems secure.",
    ),
    (
        "NF-COM-010",
        "Operational Technology (OT) Security",
        "Protecting the control systems of water, traffic, buildings and plants.",
    ),
    (
        "NF-COM-011",
        "Supply Chain Security",
        "Judging and limiting the risk that comes with vendors and their products.",
    ),
)
