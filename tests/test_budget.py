"""Time budgets: an alarm swallowed by Python (raised inside __del__) still ends the step."""

from __future__ import annotations

import sys
import time

import pytest

from actviz import budget


class _SlowFinalizer:
    def __del__(self):
        t = time.monotonic()
        while time.monotonic() - t < 0.3:  # the alarm fires here, and is swallowed
            pass


@pytest.mark.skipif(not budget._usable(), reason="no interval timer here")
def test_a_swallowed_alarm_fires_again(monkeypatch):
    monkeypatch.setenv("ACTVIZ_BUDGET_SCALE", "1")
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    t = time.monotonic()
    with pytest.raises(budget.BudgetExceeded):
        with budget.time_limit(0.05, "the step"):
            _SlowFinalizer()  # finalized at once
            while time.monotonic() - t < 3.0:  # a step the first alarm no longer reaches
                pass
    assert time.monotonic() - t < 1.0
    assert seen == []  # the swallowed alarm is not reported as an ignored exception
    assert sys.unraisablehook == seen.append  # and the hook is put back


@pytest.mark.skipif(not budget._usable(), reason="no interval timer here")
def test_nested_budgets_still_report_the_one_that_ran_out(monkeypatch):
    monkeypatch.setenv("ACTVIZ_BUDGET_SCALE", "1")
    with pytest.raises(budget.BudgetExceeded, match="inner"):
        with budget.time_limit(5, "outer"):
            with budget.time_limit(0.05, "inner"):
                time.sleep(1)
    with pytest.raises(budget.BudgetExceeded, match="outer"):
        with budget.time_limit(0.05, "outer"):
            with budget.time_limit(5, "inner"):
                time.sleep(1)
