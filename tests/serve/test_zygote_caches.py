"""What the zygote loads once so that no worker pays for it (flaskit.serve.zygote)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.timeout(60)


def test_the_mime_types_are_read_before_any_worker_is_forked() -> None:
    # A fresh interpreter: this test process may have read them already.
    code = (
        "import mimetypes\n"
        "from flaskit.serve.zygote import _warm_caches\n"
        "before = mimetypes.inited\n"
        "_warm_caches()\n"
        "print(before, mimetypes.inited)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        check=False,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
