"""Public rate limits: requests per address, and stricter limits on failures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from clinic.application.shared.ports import Limit
from clinic.application.shared.throttle import PublicLimits, Throttle, TooManyRequestsError

LIMITS = PublicLimits(
    requests=Limit(3, timedelta(minutes=1)), failures=Limit(2, timedelta(hours=1))
)


@dataclass
class CountingLimiter:
    """A RateLimiter whose windows never end."""

    hits: dict[str, int] = field(default_factory=dict)

    def hit(self, key: str, limit: Limit) -> float | None:
        self.hits[key] = self.hits.get(key, 0) + 1
        return limit.window.total_seconds() if self.hits[key] > limit.hits else None

    def retry_after(self, key: str, limit: Limit) -> float | None:
        return limit.window.total_seconds() if self.hits.get(key, 0) >= limit.hits else None

    def reset(self, key: str) -> None:
        self.hits.pop(key, None)


@pytest.fixture
def throttle() -> Throttle:
    return Throttle(CountingLimiter(), "links", LIMITS)


class TestThrottle:
    def test_requests_over_the_limit_wait_for_the_window(self, throttle: Throttle) -> None:
        for _ in range(3):
            throttle.admit("10.0.0.1")

        with pytest.raises(TooManyRequestsError) as refused:
            throttle.admit("10.0.0.1")
        assert refused.value.retry_after == 60

    def test_each_address_has_its_own_count(self, throttle: Throttle) -> None:
        for _ in range(3):
            throttle.admit("10.0.0.1")

        throttle.admit("10.0.0.2")

    def test_used_up_failures_refuse_every_request_of_the_address(self, throttle: Throttle) -> None:
        throttle.failed("10.0.0.1")
        throttle.failed("10.0.0.1")

        with pytest.raises(TooManyRequestsError) as refused:
            throttle.admit("10.0.0.1")
        assert refused.value.retry_after == 3600
        throttle.admit("10.0.0.2")

    def test_a_failure_over_the_limit_is_refused_itself(self, throttle: Throttle) -> None:
        throttle.failed("10.0.0.1")
        throttle.failed("10.0.0.1")

        with pytest.raises(TooManyRequestsError):
            throttle.failed("10.0.0.1")
