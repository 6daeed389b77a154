"""The duty roster of a district: its file (roster) and who is on duty at a time (on_duty)."""
