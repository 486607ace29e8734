"""gunicorn settings, read by default when gunicorn starts from the repository's top folder: `gunicorn config.wsgi`.

Every setting can be changed from the environment (GUNICORN_*), so a council's deployment changes none of this
file. The defaults suit a machine that runs Casefile and nothing else heavy; bench/load.py measures them
(bench/results.md, "Load").
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # behind the council's reverse proxy (TLS ends there)

# Pages are CPU work in Python (queries, templates): one process per core, plus one so a core is never idle
# while a worker waits for the database. Threads add no throughput to CPU-bound Python, so one each.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)

# A page that takes longer than this is killed and logged, so one stuck request cannot hold a worker forever.
# Long work (a police file, a long PDF) runs in the task workers, never in a request.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On restart or scale-down, requests in flight get this long to finish before the worker is stopped.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Seconds to keep an idle connection from the reverse proxy open.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Recycle each worker after this many requests (with jitter, so they do not all restart at once): a slow leak in
# any library cannot grow for ever. 0 turns it off.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# Heartbeat files in memory, not on a disk that may stall (and that a container may mount read-only).
SHARED_MEMORY = "/dev/shm"  # noqa: S108 - only gunicorn's heartbeat files, as its documentation advises
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None)

# The proxy's X-Forwarded-For / X-Forwarded-Proto are trusted only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# One line per request to standard output (the request id middleware adds its id to the app's own logs).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def on_starting(server):
    """The demo (CASEFILE_DEMO=1) refuses to listen anywhere but loopback (casefile/core/loopback.py)."""
    from casefile.core.loopback import demo_refusal

    if os.environ.get("CASEFILE_DEMO", "").lower() not in ("1", "true", "yes", "on"):
        return
    for address in server.cfg.address:
        if isinstance(address, tuple):  # (host, port); a Unix socket path is local by nature
            refusal = demo_refusal(str(address[0]))
            if refusal:
                server.log.error(refusal)
                raise SystemExit(refusal)


def post_worker_init(worker):
    """A new worker imports the views and compiles the shared templates before it takes a request
    (casefile/core/warmup.py), so its first page is not 2 s slower than the rest."""
    from casefile.core.warmup import warm_up

    warm_up()
