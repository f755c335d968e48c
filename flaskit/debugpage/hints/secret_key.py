"""No ``SECRET_KEY``: what needs it, and how to give the app one."""

from __future__ import annotations

from flaskit.debugpage.hints.context import HintContext
from flaskit.debugpage.model import Hint

_MESSAGES = ("no secret key was set", "a secret key is required")


def missing_secret_key(exc: BaseException, context: HintContext) -> Hint | None:
    """Flask's session (and Flask-WTF's CSRF) need a secret key the app does not have."""
    message = str(exc).lower()
    if not any(text in message for text in _MESSAGES):
        return None
    config = getattr(context.app, "config", None)
    if isinstance(config, dict) and config.get("SECRET_KEY"):
        return None  # set since: nothing to say
    users = (
        "flash(), Flask-Login and Flask-WTF's CSRF tokens"
        if "csrf" not in message
        else "Flask-WTF's CSRF tokens"
    )
    dotenv = context.root / ".env" if context.root is not None else None
    where = (
        f"{context.shown(dotenv)} (flaskit reads it{', it exists' if dotenv.is_file() else ''})"
        if dotenv is not None
        else ".env (flaskit reads it)"
    )
    return Hint(
        "The app has no SECRET_KEY",
        f"Flask signs the session cookie (used by session[...], {users}) with "
        "app.config['SECRET_KEY'], and it is not set.",
        "Read it from the environment where the app is created: "
        "app.config['SECRET_KEY'] = os.environ['SECRET_KEY'], and put a random one in "
        f"{where}: SECRET_KEY=<the output of: "
        "python -c 'import secrets; print(secrets.token_hex())'>. "
        "A key made at start-up (os.urandom) would log everyone out at every reload.",
    )
