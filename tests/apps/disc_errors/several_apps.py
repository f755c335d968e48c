from flask import Flask

api = Flask("api")
admin = Flask("admin")
