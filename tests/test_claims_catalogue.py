"""The claims catalogue: quotes are verbatim, ids are consistent, required topics are covered."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from experiments.claims.catalogue import (
    CLAIMS,
    EXPERIMENTS,
    NAMED_STATISTICS,
    PREDICTOR_GROUPS,
    RUN_METRICS,
    Claim,
    claim_by_id,
    is_known_measure,
    parse_measure,
)

REPO = Path(__file__).parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
DOCS = REPO / "docs" / "claims.md"

# The topics the catalogue must cover (from the project brief), with the claims
# that cover each and the articles those claims must come from.
REQUIRED_TOPICS: dict[str, tuple[tuple[str, ...], set[str]]] = {
    "MLM success rate is low and most lose money": (("C1",), {"003"}),
    "network marketing has a higher success rate": (("C2",), {"003"}),
    "pyramid-shaped income: the top and the early benefit most": (("C3", "C4"), {"002", "003"}),
    "no fat cat at the top in network marketing": (("C5",), {"002"}),
    "equal earning potential per sale in network marketing": (("C6",), {"003"}),
    "making money off other people's work": (("C7",), {"000"}),
    "success depends on ability and effort": (("C8", "C9"), {"001", "003"}),
    "recruiting overshadows product sales": (("C10", "C11"), {"000", "003"}),
    "still going strong (saturation, late entrants)": (("C12",), {"001"}),
    "anyone can start with very little money": (("C13",), {"001"}),
    "training and support raise success": (("C14", "C15"), {"003", "004"}),
    "buying leads pays": (("C16",), {"004"}),
    "an unhappy customer does more damage than a lousy economy": (("C17",), {"001"}),
    "if your recruits succeed, so do you": (("C18",), {"004"}),
    "MLM and network marketing are the same (contradiction)": (("C19",), {"004"}),
    "earn more money and work less hours": (("C20",), {"001"}),
    "income grows as your recruits sell": (("C21",), {"001"}),
    "affiliates paid extremely well (the whole distribution)": (("C22",), {"000"}),
}

# Measures each topic must use (the brief names them).
REQUIRED_MEASURES = {
    "C1": {"success_rate", "loss_rate"},
    "C2": {"success_rate"},
    "C7": {"override_share:successful", "override_share:top10"},
    "C8": {"variance_explained:ability_effort-vs-timing_position:gross_per_year_rank"},
    "C10": {"retail_share", "override_share"},
    "C12": {"decline_from_peak", "cohort_gap:success_rate"},
    "C13": {"quantile_gap:budget:success_rate", "loss_budget_share"},
    "C20": {"success_rate_after_time"},
    "C22": {"share_above:gross_per_year:15080", "quantile:gross_per_year:0.5"},
}


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    if not SEEDS.is_dir():
        pytest.skip(f"the articles folder {SEEDS} is absent, so quotes cannot be checked")
    return {p.name: normalise(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}


def doc_sections() -> dict[str, str]:
    text = DOCS.read_text(encoding="utf-8")
    parts = re.split(r"^### (C\d+)\b.*$", text, flags=re.MULTILINE)
    # parts = [preamble, id1, body1, id2, body2, ...]; a body ends at the next "## "
    return {
        parts[i]: re.split(r"^## ", parts[i + 1], flags=re.MULTILINE)[0]
        for i in range(1, len(parts), 2)
    }


# ------------------------------------------------------------------ the data
def test_at_least_twelve_claims():
    assert len(CLAIMS) >= 12


def test_ids_are_unique_and_consecutive():
    ids = [c.id for c in CLAIMS]
    assert ids == [f"C{i}" for i in range(1, len(CLAIMS) + 1)]


def test_claim_by_id():
    for claim in CLAIMS:
        assert claim_by_id(claim.id) is claim
    with pytest.raises(KeyError, match="no claim"):
        claim_by_id("C0")


def test_claims_are_frozen_and_validated():
    claim = CLAIMS[0]
    with pytest.raises(AttributeError):
        claim.quote = "x"  # type: ignore[misc]
    with pytest.raises(ValueError, match="regime"):
        Claim("C99", "q", "s", "pyramid", "success_rate", "claims", ("mlm",), "s", "v")  # type: ignore[arg-type]


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_claim_fields_are_complete(claim):
    assert re.fullmatch(r"00[0-4]_[0-9a-f]{16}\.txt", claim.source)
    assert claim.regime in ("mlm", "referral", "both")
    assert claim.experiment in EXPERIMENTS
    assert claim.scenarios and all(isinstance(s, str) and s for s in claim.scenarios)
    assert len(set(claim.scenarios)) == len(claim.scenarios)
    for text in (claim.quote, claim.summary, claim.statistic, claim.verdict_rule):
        assert text.strip()
    assert "supported" in claim.verdict_rule and "refuted" in claim.verdict_rule
    if claim.contrast.startswith("scenario:"):
        first, second = claim.contrast.removeprefix("scenario:").split("-")
        assert {first, second} <= set(claim.scenarios)
    else:
        assert re.fullmatch(r"|design:\w+|factors:\w+-vs-\w+", claim.contrast)


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_measures_are_machine_usable(claim):
    for measure in claim.measures:
        assert is_known_measure(measure), measure
    assert len(set(claim.measures)) == len(claim.measures)


def test_parse_measure():
    assert parse_measure("success_rate") == ("run_metric", ("success_rate",))
    assert parse_measure("rank_corr:depth,net_profit") == ("rank_corr", ("depth", "net_profit"))
    assert parse_measure("variance_explained:ability_effort-vs-timing_position") == (
        "variance_explained",
        ("ability_effort", "timing_position", "net_profit"),
    )
    assert parse_measure("variance_explained:ability_effort-vs-timing_position:net_per_year") == (
        "variance_explained",
        ("ability_effort", "timing_position", "net_per_year"),
    )
    assert parse_measure("top_share:gross_income:0.01") == ("top_share", ("gross_income", "0.01"))
    assert parse_measure("share_above:gross_per_year:15080") == (
        "share_above",
        ("gross_per_year", "15080"),
    )
    assert parse_measure("quantile_gap:budget:success_rate") == (
        "quantile_gap",
        ("budget", "success_rate"),
    )
    assert parse_measure("decline_from_peak") == ("decline_from_peak", ())
    assert parse_measure("partial_rank_corr:downline_size,net_profit,tenure") == (
        "partial_rank_corr",
        ("downline_size", "net_profit", "tenure"),
    )
    for bad in (
        "succes_rate",
        "rank_corr:depth",
        "rank_corr:depth,nope",
        "variance_explained:ability_effort-vs-ability_effort",
        "override_share:everyone",
        "decline_from_peak:x",
        "relative_drop:net_profit",
        "partial_rank_corr:depth,net_profit",
        "partial_rank_corr:depth,depth,tenure",
        "rank_corr:tenure,net_profit,depth",
        "top_share:gross_income:1.5",
        "quantile:gross_per_year:x",
        "share_above:nope:3",
        "variance_explained:ability_effort-vs-timing_position:nope",
        "loss_budget_share:x",
    ):
        assert not is_known_measure(bad), bad


def test_predictor_groups_use_participant_columns():
    from experiments.claims.catalogue import PARTICIPANT_COLUMNS

    for columns in PREDICTOR_GROUPS.values():
        assert set(columns) <= set(PARTICIPANT_COLUMNS)
    assert set(PREDICTOR_GROUPS["ability_effort"]).isdisjoint(PREDICTOR_GROUPS["timing_position"])


def test_required_topics_are_covered():
    by_id = {c.id: c for c in CLAIMS}
    for topic, (ids, sources) in REQUIRED_TOPICS.items():
        assert set(ids) <= set(by_id), topic
        assert {by_id[i].source[:3] for i in ids} == sources, topic
    for claim_id, measures in REQUIRED_MEASURES.items():
        assert measures <= set(by_id[claim_id].measures), claim_id
    # the regimes of the comparisons
    assert by_id["C5"].regime == "referral" and by_id["C1"].regime == "mlm"
    assert {"mlm", "referral"} <= set(by_id["C2"].scenarios)
    # every experiment of the brief is used by at least one claim
    assert {c.experiment for c in CLAIMS} >= set(EXPERIMENTS) - {"depth", "robustness"}


# -------------------------------------------------------- against the articles
def test_every_source_file_exists(seed_texts):
    for claim in CLAIMS:
        assert claim.source in seed_texts, f"{claim.id}: {claim.source} not in {SEEDS}"


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_quote_is_verbatim(claim, seed_texts):
    text = seed_texts.get(claim.source)
    assert text is not None, f"{claim.id}: no article {claim.source}"
    assert normalise(claim.quote) in text, f"{claim.id}: quote not found verbatim"


def test_quote_check_can_fail(seed_texts):
    text = seed_texts[CLAIMS[0].source]
    assert normalise(CLAIMS[0].quote.replace("low", "high")) not in text


# --------------------------------------------------------------- against docs
def test_docs_list_exactly_the_claim_ids():
    sections = doc_sections()
    assert list(sections) == [c.id for c in CLAIMS]
    table_ids = re.findall(r"^\| (C\d+) \|", DOCS.read_text(encoding="utf-8"), re.MULTILINE)
    assert table_ids == [c.id for c in CLAIMS]


@pytest.mark.parametrize("claim", CLAIMS, ids=lambda c: c.id)
def test_docs_section_matches_the_data(claim):
    body = normalise(doc_sections()[claim.id])
    assert claim.fair.strip() and claim.refuted_if.strip(), f"{claim.id}: says not why or how"
    fields = (claim.quote, claim.source, claim.verdict_rule, claim.experiment, claim.fair)
    for field in (*fields, claim.refuted_if):
        assert normalise(field) in body, f"{claim.id}: {field[:60]!r} missing from docs"
    for measure in claim.measures:
        assert f"`{measure}`" in body, f"{claim.id}: measure {measure} missing from docs"


def test_docs_define_every_named_statistic_and_group():
    text = DOCS.read_text(encoding="utf-8")
    for family in NAMED_STATISTICS:
        assert f"`{family}" in text, family
    for group in PREDICTOR_GROUPS:
        assert f"`{group}`" in text, group
    for metric in RUN_METRICS:
        assert f"`{metric}`" in text, metric
    for experiment in EXPERIMENTS:
        assert f"`{experiment}`" in text, experiment
