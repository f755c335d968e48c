"""``flaskit run``: the development server.

Processes (see docs/run.md): the supervisor (:mod:`flaskit.serve.supervisor`)
binds the socket once, watches the project and never imports the app; the
zygote (:mod:`flaskit.serve.zygote`) keeps third-party modules imported and
forks one worker (:mod:`flaskit.serve.worker`) per generation; each worker
imports the app and serves it on the inherited socket.

This package imports nothing heavy at module level; each module imports what it
needs, so the supervisor stays light.
"""
