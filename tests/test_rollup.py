"""The roll-up rule, including its edge cases."""

from __future__ import annotations

import pytest

from workplan.display import STATUS_LABELS
from workplan.state.rollup import RULE, Share, rollup, round_half_up

C, ON, N, P, H = "completed", "ongoing", "not_started", "in_progress", "on_hold"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], N),
        ([N], N),
        ([N, N, N], N),
        ([C], C),
        ([C, C], C),
        ([C, ON], ON),
        ([ON, ON], ON),
        ([C, N], P),
        ([ON, N], P),
        ([P, N], P),
        ([H, N], H),
        ([H], H),
        ([H, C], P),  # some work is done, some has stopped: still in progress overall
        ([H, P], P),
        ([P, P, C], P),
    ],
)
def test_status(statuses, expected):
    assert rollup(Share(s) for s in statuses).status == expected


def test_progress_uses_reported_percentages_and_defaults():
    result = rollup([Share(P, 20), Share(N), Share(C, 40), Share(P)])
    # 20 + 0 + 100 (completed always counts 100) + 50 (in progress, no %) = 170 / 4 = 42.5,
    # rounded half up (Python's round() would give 42).
    assert result.progress == 43
    assert result.shares == 4


def test_progress_is_clamped_and_empty_is_zero():
    assert rollup([Share(P, 250)]).progress == 100
    assert rollup([Share(P, -5)]).progress == 0
    assert rollup([]).progress == 0


def test_all_completed_counts_100_whatever_they_last_reported():
    result = rollup([Share(C, 40), Share(C), Share(C, 0)])
    assert (result.status, result.progress, result.shares) == (C, 100, 3)


def test_ongoing_and_completed_mix_is_an_ongoing_practice_at_100():
    result = rollup([Share(ON), Share(C), Share(ON, 10)])
    assert (result.status, result.progress) == (ON, 100)


def test_on_hold_with_not_started_is_on_hold():
    result = rollup([Share(H), Share(N), Share(N)])
    # (50 + 0 + 0) / 3 = 16.7 -> 17
    assert (result.status, result.progress) == (H, 17)
    assert rollup([Share(H, 80), Share(N)]).progress == 40


def test_empty_recommendation():
    result = rollup([])
    assert (result.status, result.progress, result.shares) == (N, 0, 0)


@pytest.mark.parametrize(
    ("shares", "expected"),
    [
        ([Share(P, 1), Share(N)], 1),  # 0.5 -> 1 (round() would give 0)
        ([Share(P, 5), Share(N)], 3),  # 2.5 -> 3 (round() would give 2)
        ([Share(P, 33), Share(P, 34)], 34),  # 33.5 -> 34
        ([Share(P, 1), Share(N), Share(N)], 0),  # 0.33 -> 0
        ([Share(P, 2), Share(N), Share(N)], 1),  # 0.67 -> 1
    ],
)
def test_progress_rounds_half_up(shares, expected):
    assert rollup(shares).progress == expected


def test_round_half_up():
    assert [round_half_up(n, 2) for n in range(6)] == [0, 1, 1, 2, 2, 3]
    assert round_half_up(1, 3) == 0 and round_half_up(2, 3) == 1
    assert round_half_up(5, 0) == 0


def test_the_rule_shown_in_the_help_names_every_status():
    text = " ".join(str(item) for item in RULE)
    for status in STATUS_LABELS.values():
        assert str(status).split()[0] in text
    assert "rounded half up" in text
