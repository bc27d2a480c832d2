# SPDX-License-Identifier: AGPL-3.0-or-later
"""What an authenticator app on a phone does: the code of a secret (RFC 6238)."""

import base64
import hashlib
import hmac
import struct
import time


def code_of(secret: str, periods_from_now: int = 0) -> str:
    """The six digits an authenticator app shows for ``secret`` (SHA-1, 30 s)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int(time.time()) // 30 + periods_from_now
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
