"""Provides the wizard's screens, one per module: welcome, questionnaire, review, recommendation and the rest."""
