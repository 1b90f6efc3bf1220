"""Shared helpers: bounded waits (every network loop ends within a count and a time)."""

import time

import pytest


def wait_until(step, done, timeout=10.0, what="condition"):
    """Calls ``step()`` until ``done()`` is true, at most ``timeout`` seconds (5 ms apart)."""
    deadline = time.monotonic() + timeout
    for _ in range(int(timeout / 0.005) + 1):
        step()
        if done():
            return
        if time.monotonic() > deadline:
            break
        time.sleep(0.005)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
def wait():
    return wait_until
