"""Scorers: small pluggable modules that each look at one comment and return a Score."""
