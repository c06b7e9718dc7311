"""patientguide: a static-site generator for patient-education websites with checked citations.

The core (everything but :mod:`patientguide.mkdocs_plugin`) never imports MkDocs.
"""

from __future__ import annotations

__version__ = "0.2.0"

__all__ = ["__version__"]
