"""``flaskit deploy-config``: production configs that agree with each other.

One validated :class:`~flaskit.deploy.spec.DeploySpec` feeds every renderer
(nginx, gunicorn, systemd, Apache/mod_wsgi), so the body limit, timeouts and
proxy trust match across files. :mod:`flaskit.deploy.checks` runs the real
servers' validators against the rendered files in a throw-away prefix.
"""
