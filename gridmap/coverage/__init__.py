"""The 5-minute police circle: road graph, travel-time model, per-grid shares, MCLP, scenarios."""
