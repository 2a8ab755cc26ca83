"""Setup packs for marketing-automation platforms, one module per platform.

Each module describes its platform once, as a :class:`~workbook.export.platforms.common.PlatformPack`
(``PACK``: name, simulator, approximations, files), and exposes ``guide(model)`` and what the pack
gives: ``FORMAT`` (an :class:`workbook.export.base.ExportFormat` whose file is a .zip of a
step-by-step guide, a machine-readable file and a fidelity report) and
``fidelity(model, leads_frame=None, as_of=None)``. The shared parts are in
:mod:`workbook.export.platforms.common`.
"""

from workbook.export.platforms import account_engagement, dynamics, hubspot, marketo, mautic

# --format name → pack module (each has FORMAT, guide(model) and fidelity(model, leads_frame, as_of))
PACKS = {
    "hubspot": hubspot,
    "account-engagement": account_engagement,
    "marketo": marketo,
    "dynamics": dynamics,
    "mautic": mautic,
}
FORMATS = tuple(pack.FORMAT for pack in PACKS.values())
