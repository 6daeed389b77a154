"""Figure building: plain data in, Plotly trace and layout dicts out. Never imports dash."""
