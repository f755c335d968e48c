# For `flask run`: the development app.
FLASK_APP=devapp:create_app
FLASK_DEBUG=1
