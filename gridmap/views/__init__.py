"""Navigation and view rules of the pages: URL state, drill rules, map views, the wall's data."""
