from __future__ import annotations

import difflib
from collections.abc import Iterator

from icpkit.checks.rule import OrphanContext, Scope, rule
from icpkit.findings import Violation
from icpkit.format.overrides import SUFFIX
from icpkit.paths import display_path


@rule(
    "ICP055",
    "orphan-overrides",
    severity="warning",
    category="validity",
    added="0.1.0",
    scope=Scope.ORPHAN_OVERRIDES,
)
def orphan_overrides(ctx: OrphanContext) -> Iterator[Violation]:
    """An overrides file that no ICP reads, so none of its overrides apply.

    ## What it does
    An ICP reads one overrides file: `<id>.overrides.yaml`, named after its `id`, beside
    the ICP file or in `overrides-dir`. This rule reports an overrides file that `icp
    check` finds (named, below a folder it checks, or where an ICP it checks reads its
    own) and that no ICP of the project reads: its name holds no ICP's id (a typo, an ICP
    renamed or retired, a `.yml` ending), or the ICP with that id reads its overrides from
    another folder (the file was left beside the ICP after `overrides-dir` was set). It
    names the ICP it probably belongs to.

    ## Why is this bad?
    `icp score` and `icp export` look for the overrides file by the ICP's id and never
    see a file with another name: every exception sales agreed on (the strategic logo,
    the partner referral) silently goes back to the model's band, and the file looks as
    if it were in force. The other overrides rules never read it either.

    ## Example
    ```yaml
    # file: bsae.overrides.yaml
    format: icp-overrides/1
    icp: bsae
    overrides:
      - account: ideal-1
        band: strong
        reason: Strategic logo in a new vertical
        owner: jane.doe@acme.example
        expires: 2099-06-30
    ```

    ## Use instead
    ```yaml
    # file: base.overrides.yaml
    format: icp-overrides/1
    icp: base
    overrides:
      - account: ideal-1
        band: strong
        reason: Strategic logo in a new vertical
        owner: jane.doe@acme.example
        expires: 2099-06-30
    ```
    """
    data = ctx.doc.data
    named = data.get("icp") if isinstance(data, dict) else None
    at = ("icp",) if isinstance(data, dict) and "icp" in data else ()
    yield Violation(at, f"no ICP reads this overrides file: {_why(ctx, named)}")


def _why(ctx: OrphanContext, named: object) -> str:
    ids = sorted({r.icp_id for r in ctx.readers})
    if not ctx.name.endswith(SUFFIX):
        return f"overrides files end in {SUFFIX}; rename it {ctx.icp_id or '<id>'}{SUFFIX}"
    if not ctx.icp_id:
        return f"its name holds no ICP id; name it <id>{SUFFIX}"
    same = [r for r in ctx.readers if r.icp_id == ctx.icp_id]
    if same:
        read = "; ".join(
            f"ICP {r.icp_id!r} ({display_path(r.icp_path)}) reads {display_path(r.overrides)}"
            for r in same
        )
        return f"{read}, not this file, so none of it applies"
    why = f"no ICP of the project has id {ctx.icp_id!r}"
    near = [named] if isinstance(named, str) and named in ids else []
    near = near or difflib.get_close_matches(ctx.icp_id, ids, n=1)
    if near:
        why += f" (did you mean {near[0]!r}? then name the file {near[0]}{SUFFIX})"
    return f"{why}, so none of it applies"
