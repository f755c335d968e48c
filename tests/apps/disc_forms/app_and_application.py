from flask import Flask

app = Flask("first")
application = Flask("second")
