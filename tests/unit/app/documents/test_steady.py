"""Auto capture: fire once when the page is still and sharp, then wait for the next page."""

from __future__ import annotations

import numpy as np

from app.documents import SteadyTrigger, as_quad

PAGE = as_quad([(0.2, 0.1), (0.8, 0.1), (0.8, 0.9), (0.2, 0.9)])


def test_fires_after_enough_still_sharp_frames_then_rearms_for_the_next_page() -> None:
    trigger = SteadyTrigger(frames=5)
    fired = [trigger.update(PAGE, 0.2) for _ in range(12)]
    assert fired.count(True) == 1
    assert fired.index(True) == 5  # the first frame only sets the reference position
    assert trigger.progress == 0.0
    trigger.update(None, 1.0)  # page taken away
    fired = [trigger.update(PAGE, 0.2) for _ in range(7)]
    assert fired.count(True) == 1


def test_moving_or_blurred_pages_do_not_fire() -> None:
    trigger = SteadyTrigger(frames=4)
    rng = np.random.default_rng(0)
    moving = [trigger.update(PAGE + rng.normal(0, 0.02, PAGE.shape).astype(np.float32), 0.2) for _ in range(20)]
    blurred = [trigger.update(PAGE, 0.9) for _ in range(20)]
    assert not any(moving) and not any(blurred)


def test_turning_the_page_rearms_without_leaving_the_view() -> None:
    trigger = SteadyTrigger(frames=3)
    assert [trigger.update(PAGE, 0.1) for _ in range(4)].count(True) == 1
    moved = PAGE + np.float32(0.15)
    assert [trigger.update(moved, 0.1) for _ in range(5)].count(True) == 1
