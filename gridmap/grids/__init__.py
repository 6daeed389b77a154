"""The grid tree: file schema, loading and checks, the district, display geometry, metrics."""
