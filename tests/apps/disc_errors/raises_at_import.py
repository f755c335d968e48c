from flask import Flask

app = Flask(__name__)
raise RuntimeError("database URL is not configured")  # line 4
