"""Page structure: component ids, the layout and the panels built from plain data."""
