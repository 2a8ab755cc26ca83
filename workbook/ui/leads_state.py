"""The Lead list tab's session: its keys, the list read into this session, one scoring of it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from workbook.leads import ScoredLeads
from workbook.leads.reports import Distribution
from workbook.model import ScoringModel
from workbook.ui.keys import page_key

MISSING = "(missing: treat as no value)"

NO_OUTCOME = "(none)"


class Keys:
    """Session-state and widget keys of this page."""

    LIST = page_key("leads", "list")  # the LoadedList
    READ_ERROR = page_key("leads", "read_error")  # (upload id, message) of a file that could not be read
    UPLOAD_GENERATION = page_key("leads", "upload_generation")  # moves on to empty the uploader
    SEEN_UPLOAD = page_key("leads", "seen_upload")  # the uploader file id last read
    SCORED = page_key("leads", "scored")  # (key, Scoring) of the last scoring
    AS_OF = page_key("leads", "as_of")
    CAPACITY = page_key("leads", "capacity")
    WEEKS = page_key("leads", "weeks")
    DEMO = page_key("leads", "demo")
    OPEN_DEMO_MODEL = page_key("leads", "open_demo_model")
    REMEMBER = page_key("leads", "remember_mapping")
    DOWNLOAD = page_key("leads", "download")
    REMOVE = page_key("leads", "remove")

    @staticmethod
    def upload() -> str:
        return page_key("leads", "upload", st.session_state.get(Keys.UPLOAD_GENERATION, 0))

    @staticmethod
    def mapping(digest: str) -> str:
        """The mapping table's name (its editor key adds the edit generation)."""
        return page_key("leads", "map", digest[:12])

    @staticmethod
    def outcome(digest: str) -> str:
        return page_key("leads", "outcome", digest[:12])

    @staticmethod
    def worked(model: ScoringModel) -> str:
        return page_key("leads", "worked", hashlib.sha256("\n".join(model.state_names).encode()).hexdigest()[:12])


@dataclass(frozen=True)
class LoadedList:
    """A lead list read into this session."""

    frame: pd.DataFrame
    name: str
    digest: str  # sha256 of the file's bytes
    notes: list[str] = field(default_factory=list)
    origin: str = "upload"  # "upload" or "demo"


@dataclass(frozen=True)
class Scoring:
    """One scoring of the list: the scored frame (input columns + scored ones) and its reports."""

    scored: ScoredLeads
    frame: pd.DataFrame  # the input columns (without columns added for the mapping) + scored columns
    distribution: Distribution
    seconds: float
