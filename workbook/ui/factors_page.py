"""The ICP weights and Activity weights tabs: one page body over the two sections of the model.

"profile" holds the ICP attributes, "engagement" the activities; both are weighted to 100
and give each of their values a score (the share of the weight it earns). The page shows
the list with its weights first, then one bordered card per attribute with its values, and
the lead-list match rules collapsed for the advanced users.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from workbook import editing, fmt
from workbook.editing import Section
from workbook.engine import score_section
from workbook.model import Activity, ProfileAttribute, ScoringModel
from workbook.ui import figures
from workbook.ui.actions import edit_in_callback, try_edit
from workbook.ui.components.templates import render_building_blocks
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.keys import page_key
from workbook.ui.sidebar import SIDEBAR
from workbook.ui.state import StateKeys, Workshop, current_workshop, editor_key, workshop
from workbook.ui.style import short_labels, stacking
from workbook.ui.tables import edit_table, frame, import_rows
from workbook.ui.text import md
from workbook.validate import weight_total, weights_add_up


@dataclass(frozen=True)
class SectionText:
    """What the page calls things and the help a newcomer needs, per section."""

    title: str
    one: str  # "attribute" / "activity"
    many: str  # "attributes" / "activities"
    pct: str  # "profile %" / "engagement %"
    intro: str
    name_help: str
    weight_help: str
    values_intro: str
    score_help: str
    label_help: str



TEXT: dict[str, SectionText] = {
    "profile": SectionText(
        title="ICP weights",
        one="attribute",
        many="attributes",
        pct="profile %",
        intro=(
            "The ideal customer profile: the attributes that describe the ideal buyer (job role, organisation "
            "type, employees, geography, area of interest, e-mail domain…). Weigh them so they add up to 100 %, "
            "then give each attribute's values a score. A lead's profile % is the sum of what its values earn; "
            "it sets the profile grade (A best)."
        ),
        name_help=HELP["factors.profile_name"],
        weight_help=HELP["factors.profile_weight"],
        values_intro=(
            "Each value's score is the share of the attribute's weight it earns: 100 = the full weight, "
            "50 = half, 0 = nothing, a negative score takes points away. Values are tried in this order on a "
            "lead list: the first that matches wins."
        ),
        score_help=HELP["factors.profile_score"],
        label_help=HELP["factors.profile_label"],
    ),
    "engagement": SectionText(
        title="Activity weights",
        one="activity",
        many="activities",
        pct="engagement %",
        intro=(
            "The activities and assets of the lead-generation engine (demo request, pricing-page visit, webinar, "
            "case-study download, e-mail click, unsubscribe…). Weigh them to 100 % by how close they are to the "
            "ideal call to action, then score their values — usually by recency: the same click is worth 100 % "
            "within 7 days and less after 60. A lead's engagement % sets its engagement level (1 best)."
        ),
        name_help=HELP["factors.engagement_name"],
        weight_help=HELP["factors.engagement_weight"],
        values_intro=(
            "Values are usually recency bands: the same action is worth its full weight when recent and less "
            "the longer ago it happened (e.g. 100 % within 7 days, 60 % within 60 days). A value's score is "
            "the share of the activity's weight it earns; a negative score (an unsubscribe) takes points away. "
            "List the most recent band first: on a lead list the first value that matches wins."
        ),
        score_help=HELP["factors.engagement_score"],
        label_help=HELP["factors.engagement_label"],
    ),
}



def render(section: Section) -> None:
    """The whole page for one section ("profile": ICP weights, "engagement": Activity weights).

    The overview (total, table, chart, scenarios) and each attribute's card are fragments
    (:func:`overview_key`, :func:`card_key`): a weight or a value edited on a card reruns
    only that card, the overview and the sidebar — everything the edit can change — so the
    room sees the new scenario results at once. Every other edit reruns the whole app.
    Fragments rerun with the arguments of the last full run, so they take only the section
    and a position, and read the model as it is now.
    """
    ws = workshop()
    text = TEXT[section]
    st.header(text.title)
    st.caption(text.intro)
    st.fragment(_overview, key=overview_key(section))(section)

    st.subheader("Values")
    st.caption(text.values_intro)
    # A few empty cards beyond the list: an attribute added in the table fills one when only
    # the overview and the cards rerun, so the table is not redrawn under the typing hand.
    drawn = len(ws.model.section(section)) + SPARE_CARDS
    st.session_state[cards_drawn_key(section)] = drawn
    for index in range(drawn):
        st.fragment(_factor_card, key=card_key(section, index))(section, index)
    render_building_blocks(section)


SPARE_CARDS = 3


def cards_drawn_key(section: Section) -> str:
    """Session key: how many card fragments the last full run drew (the list and the spares)."""
    return page_key(section, "cards_drawn")


def overview_key(section: Section) -> str:
    """The key of the page's overview fragment: weight total, table, chart, scenario results."""
    return f"{section}.overview"


def card_key(section: Section, index: int) -> str:
    """The key of the fragment of one attribute's card (its position in the list)."""
    return f"{section}.card.{index}"


def _card_refresh(section: Section, index: int) -> list[str]:
    """The fragments showing everything an edit on card ``index`` can change."""
    return [SIDEBAR, overview_key(section), card_key(section, index)]


def _overview(section: Section) -> None:
    ws = current_workshop()
    text = TEXT[section]
    factors = ws.model.section(section)
    _weight_total(factors)
    with stacking(f"{section}_overview"):
        table_col, chart_col = st.columns([3, 2])
    with table_col:
        st.subheader(f"{text.many.capitalize()} and weights")
        _factors_table(ws.model, section, text)
    with chart_col:
        if factors:
            st.plotly_chart(
                # Long names are cut on the axis (the table and the cards show them whole), or
                # their margin would squeeze the bars to nothing.
                figures.weights_bar(short_labels([f.name for f in factors]), [f.weight for f in factors],
                                    title="Weights"),
                key=f"{section}_weights_chart",
                config={"displayModeBar": False},
            )
    _scenarios_table(ws, section, text)


def _weight_total(factors: list[ProfileAttribute] | list[Activity]) -> None:
    """A clear flag when the weights do not add up to 100, saying by how much."""
    exact = weight_total(factors)
    total, gap = float(exact), float(exact - 100)
    if weights_add_up(exact):
        st.success(f"Weights add up to {fmt.pct(total, 2)}", icon=":material/check_circle:")
    elif gap < 0:
        st.warning(f"Weights add up to {fmt.pct(total, 2)} — {fmt.number(-gap, 2)} points short of 100",
                   icon=":material/warning:")
    else:
        st.warning(f"Weights add up to {fmt.pct(total, 2)} — {fmt.number(gap, 2)} points over 100",
                   icon=":material/warning:")


def _factors_table(model: ScoringModel, section: Section, text: SectionText) -> None:
    rows = [
        {"name": f.name, "weight": f.weight, "values": len(f.values),
         "knockouts": sum(v.knockout for v in f.values)}
        for f in model.section(section)
    ]
    edit_table(
        f"{section}_factors",
        frame(rows, ["name", "weight", "values", "knockouts"]),
        lambda model, edited: editing.set_factors_keep_columns(model, section, edited),
        column_config={
            "name": st.column_config.TextColumn(text.one.capitalize(), required=True, width=220,
                                                help=text.name_help),
            "weight": st.column_config.NumberColumn(
                "Weight", width=80, min_value=0, max_value=100, step=0.1, format="%g %%", required=True, default=0,
                help=text.weight_help,
            ),
            "values": st.column_config.NumberColumn(
                "Values", disabled=True, width=64, format="%d", help=HELP["factors.values"].format(one=text.one)
            ),
            "knockouts": st.column_config.NumberColumn(
                "Knockouts", disabled=True, width=84, format="%d", help=HELP["factors.knockouts"]
            ),
        },
        message=f"{text.many.capitalize()} updated",
        keyed_by_rows=True,
        only=lambda delta: _table_refresh(section, len(rows), delta),
    )
    missing = editing.missing_parts(model, section)
    if missing:
        st.caption(":material/edit_note: Still to fill in — " + md("; ".join(missing)))
    st.caption(
        f"Change a weight here or on the {text.one}'s card below, where − and + step it by one point. Add a "
        f"row to add an {text.one}; select rows and press Delete to remove them (scenarios drop their "
        f"choice). Renaming keeps the values and the scenarios' choices. Move an {text.one} with the arrows "
        "on its card below."
    )


def _weights_only(section: Section, delta: dict) -> list[str]:
    """The fragments to rerun after a change of the attributes table: when it only changed
    weights, the overview, the sidebar and those attributes' cards; otherwise none (the
    whole app reruns, as names and the list itself show everywhere)."""
    edited = delta.get("edited_rows") or {}
    if delta.get("added_rows") or delta.get("deleted_rows") or not edited:
        return []
    if any(set(changes) - {"weight"} for changes in edited.values()):
        return []
    return [SIDEBAR, overview_key(section), *(card_key(section, int(i)) for i in sorted(edited, key=int))]


def _table_refresh(section: Section, shown: int, delta: dict) -> list[str]:
    """The fragments to rerun after a change of the attributes table (``shown`` rows before it).

    Weights only: as :func:`_weights_only`. Names and new or deleted rows show on the cards
    and the sidebar: the overview, the sidebar and every card drawn, as long as the cards
    drawn (with their spares) hold the new list; else the whole app. Rerunning fragments
    instead of the app keeps the table in place in the browser, so typing goes on in it.
    """
    weights = _weights_only(section, delta)
    if weights:
        return weights
    count = shown + len(delta.get("added_rows") or []) - len(delta.get("deleted_rows") or [])
    drawn = st.session_state.get(cards_drawn_key(section), 0)
    if count > drawn:
        return []
    return [SIDEBAR, overview_key(section), *(card_key(section, i) for i in range(drawn))]


def _scenarios_table(ws: Workshop, section: Section, text: SectionText) -> None:
    """Where the test scenarios land with the weights as they are now (computed by the engine)."""
    if not ws.results:
        return
    rows = []
    for r in ws.results:
        res = r.result
        estimate = r.scenario.estimate.given() if r.scenario.estimate else {}
        rows.append({
            "Scenario": r.name,
            text.pct.capitalize(): fmt.pct(res.profile_pct if section == "profile" else res.engagement_pct),
            "Cell": res.cell or "–",
            "Computed state": res.state or "–",
            "Estimated state": estimate.get("state", "–"),
            "Agrees": {True: "✓", False: "✗", None: "–"}[r.agrees],
        })
    with st.expander(f"How the test scenarios land with these weights: {md(ws.agreement.sentence())}",
                     icon=":material/fact_check:"):
        st.dataframe(
            rows, hide_index=True, height=min(38 + 35 * len(rows), 400), key=f"{section}_scenarios",
            column_config={"Scenario": st.column_config.TextColumn(width="large")},
        )


def _factor_card(section: Section, index: int) -> None:
    ws = current_workshop()
    model = ws.model
    factors = model.section(section)
    if index >= len(factors):  # a spare card, or the card of an attribute that is gone, draws nothing
        if index == 0:
            text = TEXT[section]
            st.info(f"No {text.many} yet: add one in the table above, then give it values here.",
                    icon=":material/info:")
        return
    factor = factors[index]
    text = TEXT[section]
    usage = editing.value_usage(model, section).get(factor.name, {})
    with st.container(border=True, key=f"{section}_card_{index}"):
        head = st.container(horizontal=True, vertical_alignment="bottom")
        with head:
            st.markdown(f"#### {index + 1}\\. {md(factor.name)}", width="stretch")
            # The quick way to weigh an attribute in a workshop: type and press Enter, or step
            # with − / + (the table above edits the same weights).
            # The input's key changes (see _weight_input_key); its container's name does not.
            weight_key = _weight_input_key(section, index, factor.weight)
            with st.container(key=f"{section}_weight_{index}", width=170):
                st.number_input(
                    "Weight (%)", value=float(factor.weight), min_value=0.0, max_value=100.0, step=1.0,
                    format="%g", key=weight_key, help=text.weight_help,
                    on_change=_set_weight, args=(section, index, factor.name, weight_key, float(factor.weight)),
                    disabled=not may("edit"),
                )
            # Callbacks, not `if st.button(...)`: a click is applied before the script runs, so a
            # rerun of the script (there is one whenever the model changes) cannot swallow it.
            st.button("Up", icon=":material/arrow_upward:", key=f"{section}_up_{index}",
                      disabled=index == 0 or not may("edit"),
                      help=HELP["factors.move_up"].format(one=text.one), on_click=_move, args=(section, index, -1))
            st.button("Down", icon=":material/arrow_downward:", key=f"{section}_down_{index}",
                      disabled=index == len(factors) - 1 or not may("edit"),
                      help=HELP["factors.move_down"].format(one=text.one),
                      on_click=_move, args=(section, index, 1))

        _values_table(model, section, index, factor, usage, text)
        _factor_problems(ws, section, index)
        # Built only while open: collapsed, it costs nothing on each rerun. Opening it reruns
        # this card only.
        rules = st.expander("Match rules for lead lists (advanced)", icon=":material/rule:",
                            key=match_rules_key(section, index), on_change="rerun")
        with rules:
            if rules.open:
                _match_rules(model, section, index, factor, text)


def match_rules_key(section: Section, index: int) -> str:
    """The key of an attribute's match-rules expander (stable, so it stays open across edits)."""
    return f"{section}_match_open_{index}"


def _weight_input_key(section: Section, index: int, weight: float) -> str:
    """The key of the weight input on card ``index``: kept while it holds the saved weight.

    The input saved its own edit: it stays, so − / + can be pressed again at once. The weight
    changed elsewhere (the table, an undo, someone else): a new input under a new key, never
    the old one given a new value. The browser sends every input's value with each request,
    and a request sent before it drew the new weight still carries the old one; given to the
    same input, that old value would look typed and be saved again, undoing the edit (one
    table edit was saved as two revisions that way). Under a new key it is dropped.
    """
    keys: dict[int, str] = st.session_state.setdefault(page_key(section, "weight_inputs"), {})
    key = keys.get(index)
    if key is not None and st.session_state.get(key) == weight:
        return key
    count = page_key(section, "weight_inputs_made")
    st.session_state[count] = st.session_state.get(count, 0) + 1
    keys[index] = key = f"{section}_weight_{index}@{st.session_state[count]}"
    return key


def _set_weight(section: Section, index: int, name: str, key: str, drawn: float) -> None:
    """Number-input callback: set the weight of the attribute the input was drawn for.

    An input since replaced that still holds the weight it was drawn with changed nothing:
    that is a late request from a browser that has not drawn the new input yet (see
    :func:`_weight_input_key`). Anything else was typed, and is saved.
    """
    weight = st.session_state[key]  # never empty: the input has no "no value"
    if weight == drawn and key != st.session_state.get(page_key(section, "weight_inputs"), {}).get(index):
        return
    edit_in_callback(lambda model: editing.set_factor_weight(model, section, name, weight),
                     f"Weight of {name} set to {fmt.pct(weight)}", only=_card_refresh(section, index))


def _move(section: Section, index: int, delta: int) -> None:
    """Button callback: move an attribute/activity of the model as it is at the click."""
    name = st.session_state[StateKeys.MODEL].section(section)[index].name
    edit_in_callback(lambda model: editing.move_factor(model, section, index, delta),
                     f"Moved {name} {'up' if delta < 0 else 'down'}", only=())  # every card moves


def _values_table(
    model: ScoringModel,
    section: Section,
    index: int,
    factor: ProfileAttribute | Activity,
    usage: dict[str, int],
    text: SectionText,
) -> None:
    # What each value earns, from the engine: the table's bar chart of the attribute.
    points = [score_section([factor], {factor.name: v.label}, section).contributions[0].points
              for v in factor.values]
    rows = [
        {"label": v.label, "score": v.score, "points": p, "knockout": v.knockout,
         "scenarios": usage.get(v.label, 0)}
        for v, p in zip(factor.values, points, strict=True)
    ]
    values = frame(rows, ["label", "score", "points", "knockout", "scenarios"])
    columns = {
        "label": st.column_config.TextColumn("Value", required=True, help=text.label_help),
        "score": st.column_config.NumberColumn(
            "Score", min_value=-100, max_value=100, step=1, format="%g %%", required=True,
            default=0, help=text.score_help,
        ),
        "points": st.column_config.ProgressColumn(
            "Earns", help=HELP["factors.points"], format="%g pts", min_value=0, max_value=max(factor.weight, 0.01),
        ),
        "knockout": st.column_config.CheckboxColumn("Knockout", default=False, help=HELP["factors.knockout"]),
        "scenarios": st.column_config.NumberColumn(
            "Scenarios", disabled=True, format="%d", help=HELP["factors.usage"]
        ),
    }

    def apply(model: ScoringModel, edited: list) -> ScoringModel:
        return editing.set_values_keep_match(model, section, index, edited)

    edit_table(f"{section}_values_{index}", values, apply, column_config=columns,
               message=f"Values of {factor.name} updated", keyed_by_rows=True, only=_card_refresh(section, index))
    import_rows(f"{section}_values_{index}", values, apply, column_config=columns, what="values",
                only=_card_refresh(section, index))


def _factor_problems(ws: Workshop, section: Section, index: int) -> None:
    """This attribute's findings from validation, next to it (the sidebar lists them all)."""
    prefix = f"{section}[{index}]"
    for problem in ws.report.errors:
        if problem.location == prefix or problem.location.startswith((prefix + ".", prefix + "[")):
            st.error(md(problem.message), icon=":material/error:")
    for problem in ws.report.warnings:
        if problem.location == prefix or problem.location.startswith((prefix + ".", prefix + "[")):
            st.warning(md(problem.message), icon=":material/warning:")


def _match_rules(
    model: ScoringModel, section: Section, index: int, factor: ProfileAttribute | Activity, text: SectionText
) -> None:
    st.caption(
        "Only needed to score whole lead lists: how a raw cell is recognised as each value. A value without "
        "a rule matches a cell equal to its label. Several rules on one value must all hold."
    )
    column = st.text_input(
        "Lead-list column",
        value=factor.column or "",
        placeholder=factor.name,
        key=editor_key(f"{section}_column_{index}", (factor.name, factor.column)),
        help=HELP["factors.match_column"].format(one=text.one),
        disabled=not may("edit"),
    )
    if (column.strip() or None) != factor.column:
        try_edit(lambda: editing.set_factor_column(model, section, index, column), f"Column of {factor.name} updated")
        st.rerun()
    rows = [{"label": v.label, **editing.match_to_row(v.match)} for v in factor.values]
    if not rows:
        st.caption("Add values first.")
        return
    df = frame(rows, ["label", "equals", "contains", "min", "max", "within_days", "empty"])
    # All-empty number columns would be typed as text and become uneditable: make them numbers.
    df[list(editing.MATCH_NUMBER_KEYS)] = df[list(editing.MATCH_NUMBER_KEYS)].astype("float64")
    edit_table(
        f"{section}_match_{index}",
        df,
        lambda model, edited: editing.set_match_rules(model, section, index, edited),
        column_config={
            "label": st.column_config.TextColumn("Value", disabled=True),
            "equals": st.column_config.TextColumn("Equals one of", help=HELP["factors.match_equals"]),
            "contains": st.column_config.TextColumn("Contains one of", help=HELP["factors.match_contains"]),
            "min": st.column_config.NumberColumn("Min", help=HELP["factors.match_min"], format="%g"),
            "max": st.column_config.NumberColumn("Max", help=HELP["factors.match_max"], format="%g"),
            "within_days": st.column_config.NumberColumn(
                "Within days", min_value=0, step=1, format="%d", help=HELP["factors.match_within_days"]
            ),
            "empty": st.column_config.CheckboxColumn("Empty", help=HELP["factors.match_empty"]),
        },
        message=f"Match rules of {factor.name} updated",
        dynamic=False,
        keyed_by_rows=True,
        only=_card_refresh(section, index),  # rules change this card's problems and the sidebar's count
    )
