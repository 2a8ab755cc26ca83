"""Names the actions share with pages: the address parameter and the device cookie of a link."""

from __future__ import annotations

from workbook.ui.state import WORKBOOK_PARAM

QUERY_PARAM = WORKBOOK_PARAM
TOKEN_COOKIE = "lsw_t_"  # + workbook id: this device's link token for that workbook
