# Named like a standard-library module: importing "json" never reaches this file.
from flask import Flask

app = Flask(__name__)
