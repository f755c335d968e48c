"""The Flask tutorial's (flaskr) application factory, reduced to its routing.

Like the tutorial, the blog blueprint serves ``/`` and ``add_url_rule("/",
endpoint="index")`` adds an alias with no view, so ``url_for("index")`` works
in the auth views and templates. Dispatch never reaches the alias: the blog's
``/`` rule was added first and takes every request.
"""

from flask import Flask


def create_app(test_config=None, alias_first=False):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SECRET_KEY="dev")
    if test_config is not None:
        app.config.from_mapping(test_config)

    from flaskr import auth, blog

    if alias_first:  # a real mistake: the alias now takes "/" and every request fails
        app.add_url_rule("/", endpoint="index")
    app.register_blueprint(auth.bp)
    app.register_blueprint(blog.bp)
    if not alias_first:
        app.add_url_rule("/", endpoint="index")  # as in the tutorial
    return app
