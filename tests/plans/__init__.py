"""Tests of ofsted_csc.plans, one module each (a package, so its conftest is its own)."""
