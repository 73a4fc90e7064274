"""The pure core: answers, questions, blueprints, recommendation, cost, rendering, checklist.

Nothing under `wizard.core` may import Textual, Rich or any other UI library (tests enforce it).
"""
