from flask import Flask

real_app = Flask(__name__)
app = "not an app"
settings = {"debug": True}
