"""Setup packs for marketing-automation platforms, one module per platform.

Each module exposes ``FORMAT`` (an :class:`workbook.export.base.ExportFormat` whose file is a .zip
of a step-by-step guide, a machine-readable file and a fidelity report), ``guide(model)`` and
``fidelity(model, leads_frame=None, as_of=None)``. The shared parts are in
:mod:`workbook.export.platforms.common`.
"""
