"""The web layer: Flask runtime, cache binding, blueprints. The domain never imports it."""
