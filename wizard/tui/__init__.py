"""Provides the Textual user interface of the wizard (`wizard` / `wizard tui`); the only package importing Textual."""
