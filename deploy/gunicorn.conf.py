"""gunicorn settings for workplan's web processes (``python -m gunicorn -c
deploy/gunicorn.conf.py wsgi:app``, as deploy/systemd/workplan-web.service runs it).

Only the environment changes them (deploy/workplan.env.example lists each, with its
default); the application reads its own settings from the same environment.
"""

from __future__ import annotations

import multiprocessing
import os

# Where the proxy sends requests. Keep it on the loopback (or a private address) behind nginx.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Synchronous workers, each one request at a time: pages are short database reads, reports
# are produced by the RQ workers, and nginx buffers slow clients (uploads and downloads), so
# a worker is never held by a slow connection. The usual rule: 2 per CPU, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * multiprocessing.cpu_count() + 1)))
worker_class = "sync"
# A request that takes longer is killed and logged: nothing here should take a minute.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Replace each worker after about this many requests, so that memory a worker grew (a large
# export, say) is given back; the jitter keeps them from restarting all at once.
max_requests = 2000
max_requests_jitter = 200
# The workers' heartbeat files in memory rather than on a disk that may stall.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Forwarded headers. The application trusts X-Forwarded-For/-Proto/-Host from PROXY_COUNT
# proxies (werkzeug's ProxyFix, see the README): that is the only place they are believed.
# gunicorn itself believes them only from these addresses (for wsgi.url_scheme): the proxy's.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No access log: the application writes one JSON line per request (LOG_FORMAT=json) with the
# request id, the person, the route, the status and the duration; a second line per request
# would only repeat it. gunicorn's own messages (workers booted, killed on timeout) go to
# standard error, or with LOG_FORMAT=json to standard output as JSON lines like the rest.
accesslog = None
errorlog = "-"
loglevel = "info"
if os.environ.get("LOG_FORMAT", "text").strip().lower() == "json":
    logconfig_dict = {
        "root": {"level": "INFO", "handlers": ["json"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        },
        "handlers": {
            "json": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "formatters": {"json": {"()": "workplan.logs.JsonLineFormatter"}},
    }

# The application is loaded in each worker after the fork (no preload_app): no database
# connection or Redis client is ever shared between processes.
preload_app = False
