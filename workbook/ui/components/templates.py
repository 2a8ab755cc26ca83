"""Reusable values on the ICP weights and Activity weights tabs: templates and copying values.

Apply a set of values (the built-in recency bands 7 / 30 / 60 / 90 days, or one the team
saved) to any attributes or activities in one step — one revision, one undo — save an
attribute's values as a template for every workbook of this server, or copy the values of
another attribute or activity. The edits themselves are :mod:`workbook.templates`'.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from workbook.model import ScoringModel, Section
from workbook.templates import (
    BUILT_IN,
    TemplateError,
    ValueTemplate,
    apply_template,
    copy_values,
    lost_selections,
    template_from_factor,
)
from workbook.ui import actions
from workbook.ui.actions import StoreError
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.state import workshop
from workbook.ui.text import md

WORDS = {"profile": ("attribute", "attributes"), "engagement": ("activity", "activities")}


def key(section: Section, name: str) -> str:
    """The session key of one of this component's widgets on a section's page."""
    return page_key("templates", section, name)


def _templates() -> dict[str, ValueTemplate]:
    """Built-in templates first, then the saved ones (a saved one may not shadow a built-in name)."""
    out = {t.name: t for t in BUILT_IN}
    try:
        for t in actions.value_templates():
            out.setdefault(t.name, t)
    except StoreError as exc:
        st.caption(f"Saved templates cannot be read: {md(exc)}")
    return out


def _edit(make: Callable[[ScoringModel], ScoringModel], message: str) -> None:
    """Save one edit of the current model (a button callback); a refusal is said above the page."""
    model = st.session_state[StateKeys.MODEL]
    try:
        new = make(model)
    except TemplateError as exc:
        st.session_state[StateKeys.ERROR] = f"Not changed: {exc}"
        return
    actions.try_edit(lambda: new, message)


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def _apply(section: Section, templates: dict[str, ValueTemplate]) -> None:
    chosen = st.session_state.get(key(section, "template"))
    targets = list(st.session_state.get(key(section, "targets")) or [])
    template = templates.get(chosen or "")
    if template is None or not targets:
        st.session_state[StateKeys.ERROR] = f"Choose a template and at least one {WORDS[section][0]}."
        return
    lost = lost_selections(st.session_state[StateKeys.MODEL], section, targets, template)
    note = f"; {lost} scenario value{'s' if lost != 1 else ''} not in the template cleared" if lost else ""
    _edit(lambda m: apply_template(m, section, targets, template),
          f"Applied the template '{template.name}' to {_names(targets)}{note}")
    st.session_state[key(section, "targets")] = []


def _save(section: Section) -> None:
    source = st.session_state.get(key(section, "save_from"))
    name = st.session_state.get(key(section, "save_name")) or ""
    try:
        template = template_from_factor(st.session_state[StateKeys.MODEL], section, source or "", name)
        if template.name in {t.name for t in BUILT_IN}:
            raise TemplateError(f"'{template.name}' is the name of a built-in template; choose another")
        actions.save_value_template(template)
    except (TemplateError, StoreError) as exc:
        st.session_state[StateKeys.ERROR] = f"Not saved: {exc}"
        return
    st.session_state[key(section, "save_name")] = ""
    st.session_state[key(section, "template")] = template.name
    st.session_state[StateKeys.FLASH] = f"Saved the values of {source} as the template '{template.name}'"


def _copy(section: Section) -> None:
    picked = st.session_state.get(key(section, "copy_from"))
    targets = list(st.session_state.get(key(section, "copy_to")) or [])
    if not picked or not targets:
        st.session_state[StateKeys.ERROR] = f"Choose where to copy from and at least one {WORDS[section][0]}."
        return
    from_section, source = picked
    _edit(lambda m: copy_values(m, section, source, targets, source_section=from_section),
          f"Copied the values of {source} to {_names(targets)}")
    st.session_state[key(section, "copy_to")] = []


def _keep_known(widget: str, names: list[str]) -> None:
    """Drop a chosen name that is gone (renamed or deleted since): a picker only holds options."""
    chosen = st.session_state.get(widget)
    if chosen:
        st.session_state[widget] = [n for n in chosen if n in names]


def render_building_blocks(section: Section) -> None:
    """Templates and copying values for one section's page (called once, below its cards)."""
    model = workshop().model
    one, many = WORDS[section]
    names = [f.name for f in model.section(section)]
    st.subheader("Reuse values")
    if not names:
        st.caption(f"Add {many} first; then a set of values can be applied to several at once.")
        return
    templates = _templates()
    locked = not may("edit")
    _keep_known(key(section, "targets"), names)
    _keep_known(key(section, "copy_to"), names)
    with st.container(border=True, key=key(section, "apply_box")):
        st.markdown("**Apply a template**", help=HELP["templates.apply"])
        cols = st.columns(2)
        chosen = cols[0].selectbox("Template", list(templates), key=key(section, "template"), disabled=locked)
        cols[1].multiselect(f"To these {many}", names, key=key(section, "targets"),
                            placeholder=f"Choose {many}…", disabled=locked)
        if chosen in templates:
            st.caption(md(templates[chosen].summary()))
        count = len(st.session_state.get(key(section, "targets")) or [])
        st.button(
            f"Apply to {count} {one if count == 1 else many}" if count else "Apply",
            icon=":material/library_add:",
            type="primary",
            key=key(section, "apply"),
            disabled=not count or locked,
            help=HELP["templates.apply_button"],
            on_click=_apply,
            args=(section, templates),
        )
    left, right = st.columns(2, gap="medium")
    with left, st.container(border=True, key=key(section, "save_box")):
        st.markdown("**Save values as a template**", help=HELP["templates.save"])
        st.selectbox(f"Values of the {one}", names, key=key(section, "save_from"), disabled=locked)
        st.text_input("Template name", key=key(section, "save_name"), placeholder="Recency bands (ours)",
                      max_chars=80, disabled=locked)
        st.button("Save template", icon=":material/bookmark_add:", key=key(section, "save"),
                  on_click=_save, args=(section,), disabled=locked)
    with right, st.container(border=True, key=key(section, "copy_box")):
        st.markdown("**Copy values**", help=HELP["templates.copy"])
        other: Section = "engagement" if section == "profile" else "profile"
        sources = [(section, n) for n in names] + [(other, f.name) for f in model.section(other)]
        st.selectbox("From", sources, key=key(section, "copy_from"), disabled=locked,
                     format_func=lambda s: f"{'ICP attribute' if s[0] == 'profile' else 'Activity'} '{s[1]}'")
        st.multiselect(f"To these {many}", names, key=key(section, "copy_to"), placeholder=f"Choose {many}…",
                       disabled=locked)
        st.button("Copy values", icon=":material/content_copy:", key=key(section, "copy"),
                  on_click=_copy, args=(section,), disabled=locked)
