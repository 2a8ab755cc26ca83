"""The Streamlit user interface: the only part of the package that imports Streamlit."""

from streamlit.runtime.pages_manager import PagesManager


def use_navigation_only() -> None:
    """Switch off Streamlit's legacy handling of the ``pages/`` folder.

    The tabs live in ``pages/`` next to app.py (the project's layout), and Streamlit treats
    such a folder as a legacy multipage app: its reruns then execute a page file directly,
    skipping app.py (session set-up, sidebar). app.py builds the navigation with
    ``st.navigation``, so the legacy path is switched off on every run; a page that still
    starts without app.py reruns through it (see ``workbook.ui.state.workshop``).
    """
    PagesManager.uses_pages_directory = False


use_navigation_only()
