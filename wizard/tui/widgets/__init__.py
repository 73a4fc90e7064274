"""Provides the wizard's own widgets, one per module named after its class."""
