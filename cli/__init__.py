"""The command line's account commands: people, API tokens and wall kiosk links."""
