"""Tests of gridmap.duty."""
