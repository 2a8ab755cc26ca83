"""Lead Scoring Workbook — the app behind its own small server layer.

    streamlit run serve.py [-- MODEL.yaml]

The same app as ``streamlit run app.py``; a sub-page's address opened directly (a copied
link to ``/thresholds?wb=…``) then connects at once, without the browser first asking for
the server under that page and getting two "not found" answers
(see :mod:`workbook.ui.serving`).
"""

import streamlit as st
from starlette.middleware import Middleware

from workbook.ui.serving import OneBackend

app = st.App("app.py", middleware=[Middleware(OneBackend, base_path=st.get_option("server.baseUrlPath"))])
