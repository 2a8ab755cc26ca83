"""Reusable building blocks: value templates, copying values, and a starter set of B2B factors.

Pure edits of a model (no store, no UI):

- :mod:`~workbook.templates.values`: a set of values saved as a template (e.g. recency bands
  7 / 30 / 60 / 90 days with their scores and match rules), applied to any attributes or
  activities in one edit; copying values from another attribute.
- :mod:`~workbook.templates.starter`: common B2B attributes and activities as data; a new
  model from the ones ticked.
"""

from __future__ import annotations

from workbook.templates.starter import STARTER_ACTIVITIES, STARTER_ATTRIBUTES, StarterFactor, starter_model
from workbook.templates.values import (
    BUILT_IN,
    TemplateError,
    ValueTemplate,
    apply_template,
    copy_values,
    lost_selections,
    template_from_factor,
    template_from_json,
    template_to_json,
)

__all__ = [
    "BUILT_IN",
    "STARTER_ACTIVITIES",
    "STARTER_ATTRIBUTES",
    "StarterFactor",
    "TemplateError",
    "ValueTemplate",
    "apply_template",
    "copy_values",
    "lost_selections",
    "starter_model",
    "template_from_factor",
    "template_from_json",
    "template_to_json",
]
