"""deploy-wizard: from a trained model to a production-grade deployment starter repository.

This module stays import-light on purpose: `wizard --help` must not pay for YAML, Jinja or Textual.
"""

__version__ = "0.1.0"
