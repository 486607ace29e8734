"""The demo serves this machine only: its sign-ins are printed in a terminal and its passwords are all the same.

`manage.py runserver` (core/management/commands/runserver.py) and gunicorn (gunicorn.conf.py at the top of the
repository, which gunicorn reads by default) both refuse to start the demo on any other address.
"""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and "localhost"; false for 0.0.0.0, :: and every other address or name."""
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def demo_refusal(host: str) -> str | None:
    """Why the demo may not listen on `host`, or None when it may."""
    if is_loopback(host):
        return None
    return (f"The demo (CASEFILE_DEMO=1) only serves this computer, but it was asked to listen on "
            f"{host or 'every address'}. Its passwords are printed in the terminal and are the same for every "
            "login, so anyone who could reach it could sign in. Listen on 127.0.0.1 instead, for example "
            "`manage.py runserver 127.0.0.1:8000`, or run Casefile without CASEFILE_DEMO.")
