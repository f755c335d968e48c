from flask import Flask  # proxies must not count as apps

api = Flask(__name__)
