"""Exports and documents."""
