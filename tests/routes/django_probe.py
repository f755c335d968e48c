"""Run in a subprocess by test_django.py: Django keeps its settings for the life of a
process, so each probe gets a fresh one and no test sees another's settings.

    python -m tests.routes.django_probe APP_SPEC PROJECT_DIR < requests.json

Reads {"examples": [[method, path], ...], "requests": [[method, path], ...]} and
prints what flaskit says and what Django itself says; the test compares them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from flaskit.discovery import parse_spec
from flaskit.routes.listing import collect_routes
from flaskit.routes.match import match_request
from flaskit.routes.model import Match, MatchRequest


def flaskit_answer(target: Any, method: str, path: str) -> dict[str, Any]:
    report = match_request(target, MatchRequest(path, method))
    outcome = report.outcome
    if isinstance(outcome, Match):
        route = outcome.route
        return {"status": 200, "rule": route.rule, "view": route.view, "args": outcome.args}
    status = {"not-found": 404, "method-not-allowed": 405}[outcome.reason]
    return {"status": status, "reason": outcome.reason, "detail": outcome.detail}


def django_answer(method: str, path: str) -> dict[str, Any]:
    """Django's own dispatch: ``resolve`` picks the view, the view answers the method."""
    from django.test import RequestFactory
    from django.urls import Resolver404, resolve

    try:
        found = resolve(path)
    except Resolver404:
        return {"status": 404}
    request = RequestFactory().generic(method, path)
    response = found.func(request, *found.args, **found.kwargs)
    if response.status_code == 405:
        return {"status": 405}
    args = {str(i): value for i, value in enumerate(found.args)} | found.kwargs
    return {
        "status": 200,
        "rule": "/" + found.route.removeprefix("^"),
        "view": found._func_path,
        "args": args,
        "view_name": found.view_name,
    }


def main() -> None:
    spec, project = sys.argv[1], Path(sys.argv[2])
    wanted = json.load(sys.stdin)
    target = parse_spec(spec, project)
    cwd = project.resolve()
    routes = [dict(r.to_json(cwd, all_methods=True), order=r.order) for r in collect_routes(target)]
    examples = []
    for method, path in wanted.get("examples", []):
        answer = django_answer(method, path)
        examples.append({"method": method, "path": path, "django": answer})
    requests = [
        {
            "method": method,
            "path": path,
            "flaskit": flaskit_answer(target, method, path),
            "django": django_answer(method, path),
        }
        for method, path in wanted.get("requests", [])
    ]
    json.dump(
        {"routes": routes, "examples": examples, "requests": requests}, sys.stdout, default=str
    )


if __name__ == "__main__":
    main()
