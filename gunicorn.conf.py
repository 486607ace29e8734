"""gunicorn reads this file by default when started from the repository's top folder.

The demo (CASEFILE_DEMO=1) refuses to listen anywhere but loopback (casefile/core/loopback.py).
"""

import os


def on_starting(server):
    from casefile.core.loopback import demo_refusal

    if os.environ.get("CASEFILE_DEMO", "").lower() not in ("1", "true", "yes", "on"):
        return
    for address in server.cfg.address:
        if isinstance(address, tuple):  # (host, port); a Unix socket path is local by nature
            refusal = demo_refusal(str(address[0]))
            if refusal:
                server.log.error(refusal)
                raise SystemExit(refusal)
