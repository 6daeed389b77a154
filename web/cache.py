"""The flask-caching extension: created here once, bound to the server in create_app."""

from flask_caching import Cache

cache = Cache()
