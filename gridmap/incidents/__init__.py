"""Incidents: categories, the store, intake and import, filters, statistics, density, map views."""
