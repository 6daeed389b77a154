"""Grid-management GIS: domain code (loading, checking, computing). Never imports dash."""
