"""Host matching and subdomains make the Host / Subdomain columns appear."""

from flask import Flask

hosts = Flask(__name__, host_matching=True, static_host="static.example.com")


@hosts.route("/", host="api.example.com")
def api_index():
    return "api"


@hosts.route("/", host="www.example.com")
def www_index():
    return "www"


subdomains = Flask("subdomains", subdomain_matching=True)
subdomains.config["SERVER_NAME"] = "example.com"


@subdomains.route("/", subdomain="<user>")
def user_home(user):
    return user


@subdomains.route("/about")
def about():
    return "about"
