"""Wins over opinions: propose an ICP from what closed deals show.

`evidence` compares won and lost deals field by field (the seeds' wins-vs-losses
table) and proposes a rule for each field; `draft` turns the proposal into an ICP file
with the human sections marked; `run` does it for a deals file, with a holdout check.
"""

from icpkit.suggest.evidence import Evidence, FieldEvidence, TriggerEvidence, gather
from icpkit.suggest.run import Suggestion, suggest_file

__all__ = ["Evidence", "FieldEvidence", "Suggestion", "TriggerEvidence", "gather", "suggest_file"]
