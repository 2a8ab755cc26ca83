"""One way to name session-state and widget keys: ``page_key(page, name)`` → ``"page.name"``.

Every key the app puts in ``st.session_state`` is built here or with :func:`page_key`, so a
test (tests/ui) names a widget the way the page does instead of repeating a string.
"""

from __future__ import annotations


def page_key(page: str, *parts: object) -> str:
    """The key of ``parts`` on ``page``: ``page_key("review", "mark")`` is ``"review.mark"``."""
    return ".".join([page, *(str(p) for p in parts)])


class StateKeys:
    """The app-wide keys (the open workbook and the messages), shared by every page."""

    WORKBOOK = page_key("wb", "id")  # the store id of the open workbook
    BASE = page_key("wb", "base")  # the store revision this session last saw
    MODEL = page_key("wb", "model")  # the model at BASE
    REVISION = page_key("wb", "revision")  # the edit generation: moves on every change of the model
    RESETS = page_key("wb", "resets")  # moves when editors must drop their input (a refused edit, a reload)
    SOURCE = page_key("wb", "source")
    FLASH = page_key("wb", "flash")
    ERROR = page_key("wb", "error")
    PARTICIPANT = page_key("wb", "participant")
    CACHE = page_key("wb", "cache")
    IN_FRAME = page_key("wb", "in_frame")
    SYNC_REQUESTED = page_key("wb", "sync_requested")
    STORE_READ_ONLY = page_key("wb", "store_read_only")  # this session looks at the database read-only
    SALVAGED = page_key("wb", "salvaged")  # what a salvage of a damaged database kept, until it is read
    ADDRESS_WRITTEN = page_key("wb", "address_written")  # what this session last put in the address
    ADDRESS_EVER_WRITTEN = page_key("wb", "address_ever_written")  # every value it ever put there
    TOKENS = page_key("wb", "tokens")  # workbook id → this person's link token (invite or read-only)
    SIGNED_IN = page_key("wb", "signed_in")  # (e-mail, name) from the OpenID Connect sign-in, or None
    LINK_PROBLEM = page_key("wb", "link_problem")  # why the link this person came with does not work
    NAME_ASKED = page_key("wb", "name_asked")  # the name was given or skipped: do not ask again
    COOKIES_PENDING = page_key("wb", "cookies_pending")  # device cookies to write on the next run
    PERMISSIONS = page_key("wb", "permissions")  # what this session may do, worked out once per run
