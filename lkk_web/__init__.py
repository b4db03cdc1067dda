"""The contact person's cabinet (Flask), with the SOAP service mounted at /soap."""
from __future__ import annotations

from flask import Flask, flash, g, jsonify, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from lkk_integration import messages as msg
from lkk_integration.config import Config
from lkk_integration.content import Content, load_content
from lkk_integration.core import Core, create_core
from lkk_integration.db import UNAVAILABLE, database_unavailable
from lkk_integration.errors import LkkError
from lkk_integration.faults import warn_if_enabled
from lkk_integration.signin.administrators import resolve_admin
from lkk_integration.signin.contact_persons import resolve_session
from lkk_integration.soap.app import SoapGateway

from .observability import RequestIds, UnreadableBodies, request_id

csrf = CSRFProtect()

# When to ask again while the database is away (pages, /ready; SOAP says the same).
RETRY_AFTER = {"Retry-After": "30"}

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")


def core_of(app: Flask | None = None) -> Core:
    from flask import current_app

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

    from . import admin, auth, cabinet, manual, readings, settings

    app.register_blueprint(auth.bp)
    app.register_blueprint(cabinet.bp)
    app.register_blueprint(readings.bp)
    app.register_blueprint(manual.bp)
    app.register_blueprint(settings.bp)
    app.register_blueprint(admin.bp)

    @app.before_request
    def load_person() -> None:
        if request.endpoint in ("static", "health", "ready"):
            # Served without the database: a style sheet and liveness survive an outage.
            g.person = None
            return
        g.person = resolve_session(core, session.get("token"))

    @app.context_processor
    def common() -> dict:
        # Read per page: an administrator's edit shows on every process's next page. The
        # error page of a database outage still shows the phone to call, without asking the
        # database again (a hung server would hold the answer for another bound).
        content = Content(contact_phone=core.config.contact_phone,
                          reception_url=core.config.virtual_reception_url)
        if not g.get("database_unavailable"):
            try:
                with core.uow() as uow:
                    content = load_content(uow.session, core.config)
            except SQLAlchemyError:
                pass
        return {"contact_phone": content.contact_phone, "content": content, "msg": msg,
                "config_policy": core.config.password_policy,
                "reception_url": content.reception_url}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        if g.get("person") is not None or g.get("admin") is not None or \
                request.path.startswith(("/password/", "/email/", "/admin")):
            # Signed-in pages and pages whose URL carries a link's token.
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def csrf_failed(_error):
        flash(msg.FORM_EXPIRED, "error")
        if request.path.startswith("/admin"):
            from .admin import COOKIE_KEY

            signed_in = resolve_admin(core, session.get(COOKIE_KEY))
            return redirect(url_for("admin.home") if signed_in else url_for("admin.login"))
        # The token is checked before load_person runs: look at the session here.
        person = g.get("person") or resolve_session(core, session.get("token"))
        # Never back to the Referer: it is the sender's to choose (an open redirect).
        return redirect(url_for("cabinet.main") if person else url_for("auth.login"))

    @app.errorhandler(LkkError)
    def refused(error: LkkError):
        # Any refusal of the core that a view did not catch: its Russian message, never a 500.
        flash(error.message, "error")
        return redirect(url_for("cabinet.main") if g.get("person") else url_for("auth.login"))

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("error.html", message=msg.PAGE_NOT_FOUND), 404

    @app.errorhandler(405)
    def not_allowed(error):
        allowed = ", ".join(sorted(getattr(error, "valid_methods", None) or ()))
        return (render_template("error.html", message=msg.METHOD_NOT_ALLOWED), 405,
                {"Allow": allowed} if allowed else {})

    @app.errorhandler(500)
    def internal(error):
        code = request_id(request.environ)
        cause = getattr(error, "original_exception", None) or (
            None if isinstance(error, HTTPException) else error)
        app.logger.error("internal error %s", code, exc_info=cause)
        return render_template("error.html", message=msg.internal_error(code=code)), 500

    def unavailable(error):
        if not database_unavailable(error):
            return internal(error)
        # What was in flight rolled back (or, cut during its COMMIT, went through): repeating
        # is safe either way — a repeated send finds its buffer sent, a reading typed again
        # in the same session is kept once.
        code = request_id(request.environ)
        app.logger.warning("database unavailable, request %s: %s", code,
                           type(getattr(error, "orig", error)).__name__)
        g.database_unavailable = True
        return (render_template("error.html", message=msg.service_unavailable(code=code)),
                503, RETRY_AFTER)

    for kind in UNAVAILABLE:
        app.register_error_handler(kind, unavailable)

    @app.errorhandler(413)
    def too_large(_error):
        flash(msg.file_too_large(limit_mb=core.config.upload_max_bytes // (1024 * 1024)),
              "error")
        if request.headers.get("X-Requested-With") == "XMLHttpRequest":
            # The page's script follows this answer; a redirect would spend the message.
            return jsonify(next=url_for("readings.file_tab")), 413
        return redirect(url_for("readings.file_tab"))

    @app.get("/health")
    def health():
        """The process answers (for a load balancer's liveness check)."""
        return jsonify(status="ok")

    @app.get("/ready")
    def ready():
        """The process can serve: its database answers (readiness check)."""
        try:
            with core.engine.connect() as connection:
                read_only = connection.dialect.name == "postgresql" and connection.execute(
                    text("SELECT current_setting('transaction_read_only')")).scalar() == "on"
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            app.logger.warning("readiness: the database does not answer: %s",
                               type(getattr(exc, "orig", exc)).__name__)
            return jsonify(status="unavailable", database="unreachable"), 503, RETRY_AFTER
        if read_only:
            # A standby during a failover: every write would answer 503.
            app.logger.warning("readiness: the database is read-only")
            return jsonify(status="unavailable", database="read-only"), 503, RETRY_AFTER
        return jsonify(status="ok", database="ok")

    app.wsgi_app = RequestIds(UnreadableBodies(
        DispatcherMiddleware(app.wsgi_app, {"/soap": SoapGateway(core)})))
    if core.config.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = core.config.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)
    return app
