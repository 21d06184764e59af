"""Rate limits of public endpoints (signed links, webhooks) per client address.

Every request counts against one limit; failures (an invalid token, a bad signature) count
against a second, stricter one, and once that is used up the address is refused altogether
until its window ends, so guessing tokens or secrets does not pay.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic.application.shared.ports import Limit, RateLimiter


class TooManyRequestsError(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"too many requests; retry in {retry_after:.0f} s")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class PublicLimits:
    """At most `requests` per address, and at most `failures` of them failing."""

    requests: Limit
    failures: Limit


class Throttle:
    def __init__(self, limiter: RateLimiter, scope: str, limits: PublicLimits) -> None:
        self._limiter = limiter
        self._scope = scope
        self._limits = limits

    def admit(self, client: str) -> None:
        """Counts a request from `client`; TooManyRequestsError when over either limit."""
        wait = self._limiter.retry_after(self._key("failures", client), self._limits.failures)
        if wait is None:
            wait = self._limiter.hit(self._key("requests", client), self._limits.requests)
        if wait is not None:
            raise TooManyRequestsError(wait)

    def failed(self, client: str) -> None:
        """Counts a failure from `client`; TooManyRequestsError once failures are over the limit."""
        wait = self._limiter.hit(self._key("failures", client), self._limits.failures)
        if wait is not None:
            raise TooManyRequestsError(wait)

    def _key(self, kind: str, client: str) -> str:
        return f"{self._scope}:{kind}:{client}"
