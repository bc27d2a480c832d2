# SPDX-License-Identifier: AGPL-3.0-or-later
"""Rate limits on filing a report: per account, per client address and per e-mail
address (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES), each counted atomically in Redis
(core.throttles), so that they hold under a burst."""

import hashlib

from carto_concertation.core.throttles import AtomicRateThrottle


class FilingAccountThrottle(AtomicRateThrottle):
    """Reports filed by one account (``signalement``)."""

    scope = "signalement"

    def get_cache_key(self, request, view) -> str | None:
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class FilingAddressThrottle(AtomicRateThrottle):
    """Reports filed from one client address, signed in or not (``signalement_address``)."""

    scope = "signalement_address"

    def get_cache_key(self, request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class FilingEmailThrottle(AtomicRateThrottle):
    """Reports filed without an account for one e-mail address (``signalement_email``),
    from any client address. The key holds the address's digest, not the address."""

    scope = "signalement_email"

    def get_cache_key(self, request, view) -> str | None:
        if request.user.is_authenticated:
            return None  # the account's own limit counts; the address is not used
        email = request.data.get("email") if hasattr(request.data, "get") else None
        if not isinstance(email, str) or not email.strip():
            return None
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


FILING_THROTTLES = [FilingAccountThrottle, FilingAddressThrottle, FilingEmailThrottle]
