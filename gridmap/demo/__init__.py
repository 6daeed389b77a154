"""Deterministic demo data generator for Huaiyang District: synthetic grids on real facts."""

from gridmap.demo.build import DemoData, build_demo
from gridmap.demo.config import DemoConfig
from gridmap.demo.write import write_demo

__all__ = ["DemoConfig", "DemoData", "build_demo", "write_demo"]
