"""The roll-up rule, including its edge cases."""

from __future__ import annotations

import pytest

from workplan.plan.rollup import Share, rollup

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
