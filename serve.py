"""Lead Scoring Workbook — the app behind its own small server layer.

    streamlit run serve.py [-- MODEL.yaml]

The same app as ``streamlit run app.py``; a sub-page's address opened directly (a copied
link to ``/thresholds?wb=…``) then connects at once, without the browser first asking for
the server under that page and getting two "not found" answers
(see :mod:`workbook.ui.serving`); and ``/team``, the default page's own name, opens that page
at the root instead of "Page not found".
"""

import streamlit as st
from starlette.middleware import Middleware

from workbook.ui.serving import OneBackend, RootPageNames

ROOT_PAGE_NAMES = ("team",)  # app.py's first page (pages/team.py), which Streamlit serves at "/"
BASE = st.get_option("server.baseUrlPath")
app = st.App("app.py", middleware=[
    Middleware(RootPageNames, names=ROOT_PAGE_NAMES, base_path=BASE),
    Middleware(OneBackend, base_path=BASE),
])
