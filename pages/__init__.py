"""The three Dash pages on one Flask server: the map (/), the planner and the wall."""
