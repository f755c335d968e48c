from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(TESTING=bool(test_config))

    from shop import views

    app.register_blueprint(views.bp)
    return app
