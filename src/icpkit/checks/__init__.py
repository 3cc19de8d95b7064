"""The rules, in the order they run and are documented. Add a rule here to enable it."""

from __future__ import annotations

from icpkit.checks.icp001_invalid_yaml import invalid_yaml
from icpkit.checks.icp002_duplicate_key import duplicate_key
from icpkit.checks.icp003_schema_violation import schema_violation
from icpkit.checks.icp004_too_few_triggers import too_few_triggers
from icpkit.checks.icp005_undetectable_trigger import undetectable_trigger
from icpkit.checks.icp006_weak_trigger import weak_trigger
from icpkit.checks.icp007_no_anti_icp import no_anti_icp
from icpkit.checks.icp008_vague_size_range import vague_size_range
from icpkit.checks.icp009_range_too_wide import range_too_wide
from icpkit.checks.icp010_no_reachability import no_reachability
from icpkit.checks.icp011_vague_channel import vague_channel
from icpkit.checks.icp012_buzzword import buzzword
from icpkit.checks.icp013_weights_not_100 import weights_not_100
from icpkit.checks.icp014_bands_not_descending import bands_not_descending
from icpkit.checks.icp015_partial_credit_range import partial_credit_out_of_range
from icpkit.checks.icp016_partial_overlaps_ideal import partial_overlaps_ideal
from icpkit.checks.icp017_firmographics_only import firmographics_only
from icpkit.checks.icp018_activation_gap import activation_gap
from icpkit.checks.icp019_unknown_question_target import unknown_question_target
from icpkit.checks.icp020_missing_anti_persona import missing_anti_persona
from icpkit.checks.icp021_stale_review import stale_review
from icpkit.checks.icp022_review_in_future import review_in_future
from icpkit.checks.icp023_version_behind_review import version_behind_review
from icpkit.checks.icp024_id_mismatch import id_mismatch
from icpkit.checks.icp025_duplicate_id import duplicate_id
from icpkit.checks.icp026_duplicate_segment import duplicate_segment
from icpkit.checks.icp027_ambiguous_boolean import ambiguous_boolean
from icpkit.checks.icp028_anti_icp_excludes_ideal import anti_icp_excludes_ideal
from icpkit.checks.icp029_too_few_dimensions import too_few_dimensions
from icpkit.checks.icp030_unreachable_rubric import unreachable_rubric
from icpkit.checks.icp031_unfinished_draft import unfinished_draft
from icpkit.checks.icp032_too_broad import too_broad
from icpkit.checks.icp033_duplicate_trigger_id import duplicate_trigger_id
from icpkit.checks.icp034_duplicate_anti_icp_id import duplicate_anti_icp_id
from icpkit.checks.icp035_field_in_two_sections import field_in_two_sections
from icpkit.checks.icp036_empty_range import empty_range
from icpkit.checks.icp037_anti_icp_counted_as_yes import anti_icp_counted_as_yes
from icpkit.checks.icp038_number_tested_as_text import number_tested_as_text
from icpkit.checks.icp040_band_without_route import band_without_route
from icpkit.checks.icp041_sla_not_positive import sla_not_positive
from icpkit.checks.icp042_abm_tiers_overlap import abm_tiers_overlap
from icpkit.checks.icp050_invalid_overrides import invalid_overrides
from icpkit.checks.icp051_override_without_reason import override_without_reason
from icpkit.checks.icp052_expired_override import expired_override
from icpkit.checks.icp053_unknown_override_account import unknown_override_account
from icpkit.checks.icp054_too_many_overrides import too_many_overrides
from icpkit.checks.icp055_orphan_overrides import orphan_overrides
from icpkit.checks.icp900_baseline_expired import baseline_expired
from icpkit.checks.icp901_baseline_unused import baseline_unused
from icpkit.checks.rule import AnyRule, Rule, Scope
from icpkit.errors import UsageError

RULES: tuple[AnyRule, ...] = (
    invalid_yaml,
    duplicate_key,
    schema_violation,
    too_few_triggers,
    undetectable_trigger,
    weak_trigger,
    no_anti_icp,
    vague_size_range,
    range_too_wide,
    no_reachability,
    vague_channel,
    buzzword,
    weights_not_100,
    bands_not_descending,
    partial_credit_out_of_range,
    partial_overlaps_ideal,
    firmographics_only,
    activation_gap,
    unknown_question_target,
    missing_anti_persona,
    stale_review,
    review_in_future,
    version_behind_review,
    id_mismatch,
    duplicate_id,
    duplicate_segment,
    ambiguous_boolean,
    anti_icp_excludes_ideal,
    too_few_dimensions,
    unreachable_rubric,
    unfinished_draft,
    too_broad,
    duplicate_trigger_id,
    duplicate_anti_icp_id,
    field_in_two_sections,
    empty_range,
    anti_icp_counted_as_yes,
    number_tested_as_text,
    band_without_route,
    sla_not_positive,
    abm_tiers_overlap,
    invalid_overrides,
    override_without_reason,
    expired_override,
    unknown_override_account,
    too_many_overrides,
    orphan_overrides,
    baseline_expired,
    baseline_unused,
)


def find_rule(key: str) -> AnyRule:
    """A rule by id (`ICP004`, any case) or name (`too-few-triggers`)."""
    wanted = key.strip()
    for candidate in RULES:
        if wanted.upper() == candidate.id or wanted.lower() == candidate.name:
            return candidate
    raise UsageError(f"unknown rule {key!r}; `icp rules` lists them")


__all__ = ["RULES", "AnyRule", "Rule", "Scope", "find_rule"]
