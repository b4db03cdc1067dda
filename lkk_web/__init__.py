"""The contact person's cabinet (Flask), with the SOAP service mounted at /soap."""
from __future__ import annotations

from flask import Flask
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from lkk_integration.config import Config
from lkk_integration.core import Core, create_core
from lkk_integration.faults import warn_if_enabled
from lkk_integration.soap.app import SoapGateway

from .observability import RequestIds, UnreadableBodies

csrf = CSRFProtect()


def core_of(app: Flask | None = None) -> Core:
    """The core: inside a request, the one whose clock stands at the instant the request began
    (hooks.py, pin_request_clock; docs/spec.md §18.1); else the process's (`app`'s)."""
    from flask import current_app, g, has_request_context

    if app is None and has_request_context() and "core" in g:
        return g.core
    return (app or current_app).extensions["lkk_core"]


def create_app(config: Config | None = None, core: Core | None = None) -> Flask:
    """The WSGI application: cabinet at /, SOAP at /soap (WSDL at /soap?wsdl)."""
    core = core or create_core(config or Config.from_env())
    warn_if_enabled()
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=core.config.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=core.config.public_url.startswith("https://"),
        # The spreadsheet bound plus room for the form around it.
        MAX_CONTENT_LENGTH=core.config.upload_max_bytes + 64 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        # Behind the TLS proxy every request is https, and Flask-WTF's strict mode would then
        # demand a Referer — which no browser sends, the pages asking for no-referrer: every
        # form failed. The token and the SameSite=Lax cookie carry the protection.
        WTF_CSRF_SSL_STRICT=False,
    )
    app.extensions["lkk_core"] = core
    csrf.init_app(app)

    from . import (admin, api, auth, cabinet, errors, hooks, manual, params, probes, readings,
                   settings)

    app.url_map.converters["id"] = params.IdConverter
    for blueprint in (auth, cabinet, readings, manual, settings, admin, probes, api):
        app.register_blueprint(blueprint.bp)
    hooks.register(app)
    errors.register(app)

    app.wsgi_app = RequestIds(UnreadableBodies(
        DispatcherMiddleware(app.wsgi_app, {"/soap": SoapGateway(core)})))
    if core.config.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = core.config.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)
    return app
