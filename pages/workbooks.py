"""Workbooks: the open workbook (link, rename, duplicate, archive), new workbooks, every workbook."""

from workbook.ui import workbooks_page

workbooks_page.render()
