"""Run inside a private mount namespace (``unshare --mount``) by test_write.py.

Mounts a tiny tmpfs, optionally writes the files once and fills the disk to
one free page, runs ``flaskit deploy-config`` into it, and prints the folder's
contents before and after as JSON. The mount disappears with the namespace.

    python enospc_probe.py MOUNT_POINT SIZE FLASKIT_ARGS_JSON yes|no
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PAGE = 4096


def run(args: list[str], out: str) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "flaskit", *args, "-o", out],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout + done.stderr


def tree(root: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if os.path.isfile(path):
                with open(path, "rb") as stream:
                    found[rel] = stream.read().hex()
            else:
                found[rel] = None
    return found


def fill(root: str) -> None:
    """Fill the file system, then give one page back."""
    filler = os.path.join(root, "filler")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, b"x" * PAGE)
    except OSError:
        pass
    finally:
        os.close(fd)
    os.truncate(filler, os.path.getsize(filler) - PAGE)


def main() -> None:
    mount_point, size, args_json, prefill = sys.argv[1:5]
    args = json.loads(args_json)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mount_point], check=True)
    out = os.path.join(mount_point, "deploy")
    first = None
    if prefill == "yes":
        first = run(args, out)
        fill(mount_point)
        args = [*args, "--domain", "example.org", "--force"]
    before = tree(mount_point)
    code, output = run(args, out)
    after = tree(mount_point)
    result = {"first": first, "code": code, "output": output, "before": before, "after": after}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
