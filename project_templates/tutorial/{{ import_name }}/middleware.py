"""WSGI middleware: ProxyFix (switched on in create_app when PROXY_FIX > 0).

Behind nginx, the app sees the proxy's address and plain http; ProxyFix reads
the client's real address and scheme from the X-Forwarded-* headers. Only
switch it on behind a proxy: otherwise any client could fake its address.
"""

from flask import Blueprint, request

bp = Blueprint("middleware", __name__)


@bp.route("/client")
def client() -> dict[str, str | None]:
    return {"address": request.remote_addr, "scheme": request.scheme, "host": request.host}
