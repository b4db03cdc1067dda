"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py lkk_web.wsgi:app` behind a TLS
proxy (docs/operations.md, "gunicorn"). Every value can be overridden on the command line
or with GUNICORN_CMD_ARGS."""
import multiprocessing
import os
import time

from lkk_integration.config import log_level, whole_number

bind = os.environ.get("LKK_BIND", "127.0.0.1:8000")
# Sync workers: each request holds one; a 20 MB upload is checked in a few seconds.
try:
    workers = whole_number(os.environ, "LKK_WORKERS", multiprocessing.cpu_count() * 2 + 1, 1)
except ValueError as error:
    raise SystemExit(str(error)) from None
# gunicorn 23+ opens a control socket under $HOME/.gunicorn, shared by every instance of the
# user: a second instance (a separate pool for /soap, say) would take it over. Not needed here.
control_socket_disable = True
if os.environ.get("LKK_CLOCK_START"):
    # A rehearsal's clock (docs/operations.md, "Configuration"): workers forked later — a killed
    # one's replacement, a recycled one — share the master's, instead of starting it over.
    os.environ.setdefault("LKK_CLOCK_STARTED_AT", repr(time.time()))
timeout = 120          # the largest upload and send (bench/spreadsheets.py) stay well inside
graceful_timeout = 30
max_requests = 2000    # recycle workers now and then
max_requests_jitter = 200
limit_request_line = 8190
forwarded_allow_ips = os.environ.get("LKK_FORWARDED_ALLOW_IPS", "127.0.0.1")
# gunicorn's own access log would print whole request lines, link tokens and query strings
# included; the application writes one JSON line per request without them (logger lkk.access).
# gunicorn merges this dictionary over its defaults key by key, and turns its access logger on
# whenever a dictionary is given: every key is spelled out here, gunicorn.access muted.
accesslog = None
errorlog = "-"
try:
    _LEVEL = log_level()
except ValueError as exc:
    raise SystemExit(str(exc)) from None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s [%(process)d] %(levelname)s %(name)s: "
                                       "%(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                            "stream": "ext://sys.stderr"}},
    "root": {"level": _LEVEL, "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["stderr"], "propagate": False},
        "gunicorn.access": {"level": "CRITICAL", "handlers": [], "propagate": False},
        "lkk": {"level": _LEVEL, "handlers": ["stderr"], "propagate": False},
    },
}
