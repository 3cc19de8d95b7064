"""`icp export`: scored accounts and ICP criteria in the files sales and marketing tools import.

Targets, each in its own module:
- `crm` (`crm.py`): a Salesforce Data Loader / HubSpot import of each account's fit;
- `linkedin-companies` (`linkedin.py`): the good-or-better accounts in LinkedIn Campaign
  Manager's company-list template;
- `linkedin-targeting` and `audience-json` (`audience.py`, `targeting.py`): the ICP's
  criteria as targeting facets, read from the ICP file, not from scored rows;
- `target-accounts` (`accounts.py`): the ranked ABM list with its tiers.

`run.py` reads the scored file (or scores an accounts file on the fly) and hands each target
its frame; the CLI writes what comes back and prints the notes.
"""

from __future__ import annotations

CRM, LINKEDIN_COMPANIES, LINKEDIN_TARGETING, AUDIENCE_JSON, TARGET_ACCOUNTS = (
    "crm",
    "linkedin-companies",
    "linkedin-targeting",
    "audience-json",
    "target-accounts",
)
TARGETS = (CRM, LINKEDIN_COMPANIES, LINKEDIN_TARGETING, AUDIENCE_JSON, TARGET_ACCOUNTS)
# The targets read from the ICP file alone: no accounts, no scores.
FROM_ICP = frozenset({LINKEDIN_TARGETING, AUDIENCE_JSON})
