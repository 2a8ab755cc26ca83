"""Every help text of the app (the ⓘ tooltips of widgets, columns and pages), in one place.

Keys are ``page.name`` (:func:`workbook.ui.keys.page_key`); a widget passes
``help=HELP["page.name"]``. Texts that add a figure of the moment (a size cap, say) start
from the entry here and add it where they are shown.
"""

from __future__ import annotations

HELP: dict[str, str] = {
    "calibration.scenarios_that_agree": (
        "Agreement now → with this suggestion applied, as the engine scores the changed model (the same "
        "count as the sidebar's)."
    ),
    "calibration.apply": (
        "Change the model as shown. Saved as a normal revision: the sidebar's Undo puts it back."
    ),
    "calibration.suggest_thresholds": (
        "Search the band minimums that make the most scenarios agree. Takes up to a few seconds; nothing "
        "changes until you press Apply."
    ),
    "calibration.locked_weights": (
        "These weights keep their value in the suggestion; the others share the change."
    ),
    "calibration.largest_move_per_weight_points": (
        "No weight moves by more than this many percentage points up or down. 100 = no limit."
    ),
    "calibration.step_points": (
        "Weights move in multiples of this many points from today's values: 1 or 5 give rounder weights."
    ),
    "calibration.suggest_weights": (
        "Search the weights that make the most scenarios agree with the smallest total change. Takes up "
        "to a few seconds; nothing changes until you press Apply."
    ),
    "calibration.points_for_the_tornado_chart": (
        "Each weight is moved this many points down and up (the others rescale); the chart counts the "
        "scenarios that change cell."
    ),
    "calibration.fleiss_kappa_the_whole_room": (
        "Agreement of all members beyond what chance would give: 1 = everyone always agrees, 0 = no more "
        "than chance, below 0 = less. Read with Landis & Koch: up to 0.20 slight, 0.40 fair, 0.60 "
        "moderate, 0.80 substantial, above almost perfect."
    ),
    "calibration.scenarios_compared": "Scenarios at least two members estimated.",
    "calibration.fixes": "Scenarios this weight's change helps make agree.",
    "calibration.breaks": "Scenarios this weight's change makes disagree.",
    "calibration.profile_edge": (
        "Points the profile % must rise to reach the better grade, or may fall before it drops a grade — "
        "whichever is nearer."
    ),
    "calibration.engagement_edge": "The same for the engagement level.",
    "calibration.smallest_single_weight_flip": (
        "The one weight whose smallest change moves this scenario to another cell (\"beyond\": the change "
        "must go past this)."
    ),
    "calibration.cohen_s_kappa": "Agreement of the two beyond chance: 1 perfect, 0 chance level.",
    "factors.knockouts": "How many of its values disqualify a lead.",
    "history.undo": (
        "Puts the workbook back as it was before its last change. The undo is itself a revision, so it "
        "can be undone too; pressing it again steps further back."
    ),
    "history.view": "Type a number or a word from the change to find a revision.",
    "history.restore": (
        "Makes this revision's model the current one again. Nothing is lost: the restore is a new "
        "revision, and the revisions in between stay in the history."
    ),
    "history.download": (
        "This revision's model file as it was, to keep or to open elsewhere (not the final export: that "
        "is on the Review tab)."
    ),
    "history.compare_with_current": "Fill in the comparison below with this revision and the current model.",
    "history.from": "The older side of the comparison: a revision, or a model file you upload.",
    "history.to": (
        "The newer side: a revision (the first one is the current model), or a model file you upload."
    ),
    "history.upload": (
        "A model file (YAML) to compare with a revision, for example one a colleague edited by hand. "
        "At most {kb} KB."
    ),
    "history.scenario_agreement_at_this_revision": (
        "A scenario agrees when every estimate the team gave (grade, level, state) matches the model."
    ),
    "history.scenarios_that_change_cell_or_state": (
        "Scenarios present on both sides whose computed cell or state differs."
    ),
    "history.when": "In your browser's time zone.",
    "history.who": (
        "Who saved the revision: the name of their sign-in or personal invite link, or, while the workbook "
        "was open to everyone, a name typed in the sidebar that nobody checked. \"Identified by\" says which."
    ),
    "history.release_candidate": "Put up for the steering committee's review.",
    "history.checkpoint_name": (
        "A name for the workbook as it is now, e.g. 'after workshop 1'. The history reads checkpoint by "
        "checkpoint, and the Review tab's change notes run from one checkpoint to the next."
    ),
    "history.folded": (
        "Several revision numbers: quick clicks on one field by one person, within a minute of each other, "
        "shown as one change. Every click stays in the full list below; Undo takes the run back at once."
    ),
    "history.checkpoint_restore": (
        "Make the model of this checkpoint current again. Saved as a new revision: nothing in between is lost."
    ),
    "history.checkpoint_compare": "Fill in the comparison below with this checkpoint and the current model.",
    "history.people": "Show only these people's changes in the sections below; choose nobody to see everyone's.",
    "history.identified_by": (
        "How the author was known when they saved: signed in with the organisation's account, through their "
        "personal invite link, or a name typed in the sidebar that nobody checked (only possible while the "
        "workbook was open to everyone). \"Not recorded\": saved before the app recorded it."
    ),
    "history.checkpoint_rename": (
        "Give this checkpoint another name. The revision it names stays the same; who renamed it and when "
        "is shown under it."
    ),
    "leads.upload": (
        "A CSV (comma, semicolon, tab or pipe separated; UTF-8 or Windows-1252) or an Excel .xlsx file "
        "(its first worksheet), one row per lead and a header row. Every cell is read as text; the "
        "model's match rules decide what is a number or a date. The list stays in this browser session: "
        "it is not saved with the workbook. Files up to {size} (set WORKBOOK_MAX_LEADS_BYTES to change it)."
    ),
    "leads.demo": (
        "The public X Education lead list (9,240 leads of an online-course company, with a Converted "
        "column): a real list to try the page on. It goes with the X Education example workbook."
    ),
    "leads.open_demo_model": (
        "Opens the X Education example workbook, whose attributes read exactly this list's columns. If "
        "it is already in the store, that workbook (with the team's changes) opens; otherwise a new one "
        "is made from the example. The workbook open now stays as it is."
    ),
    "leads.as_of": (
        "Recency rules (an activity 'within 7 days') count back from this date: a demo request dated the "
        "3rd is 'within 7 days' as of the 8th but not as of the 20th. Use the date the list was exported "
        "to score it as it was then; the default is today."
    ),
    "leads.mapping": (
        "The model reads the columns on the left; this list calls them something else, or does not have "
        "them. Pick the list's column for each, or treat the attribute as having no value. The choice is "
        "remembered in the workbook (and its file), so the next list with the same headers maps itself."
    ),
    "leads.remember": "Save the columns shown (suggestions included) in the workbook as they are.",
    "leads.capacity": (
        "How many new leads your inside-sales (SDR) team can work in a week. Leave it empty to see "
        "volumes only."
    ),
    "leads.weeks": (
        "How many weeks of leads this list holds — e.g. 13 for a quarter's export. Volumes per week are "
        "the list's counts divided by this."
    ),
    "leads.worked": (
        "The states whose leads go to people: by default the two most sales-ready states (Send to sales "
        "and Qualify). Their weekly volume is compared with the capacity."
    ),
    "leads.outcome": (
        "A column that says whether each lead converted: 1/0, yes/no, y/n or true/false. Anything else "
        "(an empty cell too) is an unknown outcome: counted, but left out of every rate."
    ),
    "leads.download": (
        "The list's own columns plus profile_pct, engagement_pct, profile_grade, engagement_level, cell, "
        "state and knocked_out for every lead — the same file as `python -m workbook score`."
    ),
    "leads.base_rate": "Converted leads divided by the leads with a known outcome, over the whole list.",
    "leads.needed": "The column the model's attributes read.",
    "leads.read_by": "The ICP attributes and activities reading it.",
    "leads.status": "Remembered in the workbook, or suggested by a similar name.",
    "leads.per_week": "Leads divided by the weeks the list covers.",
    "leads.column": "The list's column the attribute was read from.",
    "leads.no_match": "Leads whose cell matched no value.",
    "leads.share": "Of all leads in the list.",
    "leads.rate": "Converted among the leads with a known outcome.",
    "leads.lift": "The state's rate divided by the base rate.",
    "leads.fit_link": (
        "Opens the Learn from outcomes tab with this same list: scores and weights suggested by the outcome, "
        "with the evidence, to accept all or value by value."
    ),
    "fit.outcome": (
        "The column that says whether each lead converted (1/0, yes/no, true/false). The suggestion learns "
        "which values go with converting; leads with another cell in it are left out."
    ),
    "fit.holdout": (
        "The share of leads kept aside: the suggestion is fitted on the rest and measured on these, so the "
        "figures show how it does on leads it has not seen. 30 % is usual."
    ),
    "fit.seed": (
        "Which leads are held out is drawn at random; the same seed draws the same leads again. Try another "
        "seed to see how much the figures move by chance."
    ),
    "fit.folds": (
        "The held-out share fits once and measures on the leads kept aside. 5-fold cross-validation fits five "
        "times, each time keeping another fifth aside, so every lead is measured once: steadier figures, five "
        "times the wait. The suggestion is then fitted on the whole list."
    ),
    "fit.locked_weights": "These weights keep their value in the suggestion; the others share the rest of 100.",
    "fit.locked_values": "These values keep their score in the suggestion, whatever the data say.",
    "fit.thresholds": (
        "Also suggest the minimum % of each grade and level, chosen on the fitted leads so that the grid "
        "ranks them as well as it can. Untick to keep today's thresholds."
    ),
    "fit.declared": (
        "Columns your team knows are written after sales spoke to the lead (a tag, a quality verdict): they "
        "are flagged as leakage and left out of the suggestion, whatever the data say."
    ),
    "fit.suggest": (
        "Fit the model's own values to the outcome and measure the result on the held-out leads. Takes a few "
        "seconds; nothing in the model changes until you accept."
    ),
    "fit.auc_current": (
        "AUC of the model as it is, ranking the held-out leads by cell (most sales-ready state first). "
        "0.5 is random order, 1 is perfect."
    ),
    "fit.auc_suggested": "The same for the suggested model; the small figure is the change against today's model.",
    "fit.auc_ceiling": (
        "A logistic regression over the same values with no limits of the grid, ranking lead by lead: about "
        "as well as these values can rank. The small figure is how far the suggestion stays below it."
    ),
    "fit.keep": (
        "Keep this attribute in the fit even though it looks like leakage — for instance when the column is "
        "really known before anyone calls. The suggestion is fitted again at once."
    ),
    "fit.value_leads": "Leads with this value and a known outcome, over the whole list.",
    "fit.interval": (
        "The conversion rate's 95 % interval (Wilson): with few leads it is wide, and the true rate may be "
        "anywhere in it."
    ),
    "fit.lift": "The value's conversion rate divided by the rate of the whole list: 2× converts twice as often.",
    "fit.suggested_score": (
        "The score the data suggest, −100..100: the value's pull on converting, against the attribute's "
        "strongest value (±100). Leads without a value earn 0."
    ),
    "fit.evidence_attribute": "The attribute or activity whose values the chart shows.",
    "fit.accept_all": (
        "Take every suggested score, weight and threshold into the model, as one revision. The sidebar's "
        "Undo puts the model back as it was."
    ),
    "fit.part": (
        "One value's score, one section's weights (together, so they still add up to 100) or the thresholds. "
        "Only what would still change the model is listed."
    ),
    "fit.accept_part": "Take the chosen part into the model, as one revision; Undo puts it back.",
    "fit.funnel_shape": (
        "Either one column per stage that says 1/0 whether the lead reached it (MQL, SQL, Won …), or one "
        "column that names the furthest stage each lead reached."
    ),
    "fit.funnel_columns": "The 0/1 columns of the stages, first stage first; the last one is the win.",
    "fit.funnel_column": "The column naming the furthest stage each lead reached.",
    "fit.funnel_stages": (
        "The stage names as they are written in the column, first stage first; the last one is the win. "
        "Other texts (such as Closed lost) count as no stage."
    ),
    "fit.funnel_amount": (
        "A number per lead, such as the deal amount: gives the pipeline value (leads that reached the stage "
        "before the win) and the won value."
    ),
    "fit.funnel_missed": "The states no one calls: wins the model sent there are counted as missed wins.",
    "fit.missed_wins": "Wins among the leads the model sent to the states no one calls.",
    "fit.pipeline_value": "The amount of the leads that reached the stage before the win.",
    "fit.verdicts": (
        "A file from sales with one row per delivered lead: its id and whether it was accepted or rejected "
        "(accepted/rejected, yes/no, 1/0, qualified/disqualified), optionally why."
    ),
    "fit.lead_id": "The lead list's column with the id that the verdicts use too.",
    "fit.verdict_id": "The verdicts' column with the lead id.",
    "fit.verdict_column": "The verdicts' column that says accepted or rejected.",
    "fit.reason_column": "The verdicts' column that says why a lead was rejected, if there is one.",
    "fit.acceptance_rate": "Accepted among the leads with a readable verdict.",
    "fit.challenger": (
        "What the current model is compared with: the data suggestion as a whole, or an earlier or later "
        "revision of this workbook."
    ),
    "fit.challenger_revision": "The revision of this workbook to score the list with.",
    "fit.capacity": (
        "How many leads the SDR team can work in the period this list covers; each model's workload is "
        "compared with it."
    ),
    "review.mark": (
        "The revision the steering committee is asked to sign off. Later edits do not change it: the "
        "committee reviews the model exactly as it was at that revision."
    ),
    "review.candidate": "Release candidates, newest first.",
    "review.member": (
        "There is no login: pick your own name. Only the steering-committee members of this revision "
        "(ticked on the Team tab) can decide, and every decision is shown to everyone with its time."
    ),
    "review.decision": "Approve: this model can go to production. Reject: it needs another round; say why.",
    "review.comment": "Why you approve or reject; required when you reject. It goes into the exported file.",
    "review.final": (
        "The model file of this revision with its version, revision, status, approvals and dates in "
        "'metadata', for loading into the marketing platform, CRM or data warehouse."
    ),
    "scenarios.filter": (
        "Show only the scenarios where the model lands somewhere other than the team's estimate."
    ),
    "scenarios.pick": "The scenario to look at and edit below. The number is its row in the table above.",
    "scenarios.name": "A short description of the lead that the room will recognise. Names are unique.",
    "scenarios.notes": (
        "Anything the team wants to remember about this lead: where it comes from, open questions."
    ),
    "scenarios.estimate_profile": (
        "The profile grade the team expects before looking at the model (A is the best fit)."
    ),
    "scenarios.estimate_engagement": "The engagement level the team expects (1 is the most engaged).",
    "scenarios.estimate_state": "Where the team thinks this lead belongs: the action it should get.",
    "scenarios.member": (
        "The state this person wrote down for the lead before the discussion; (none) if they gave none."
    ),
    "scenarios.add": "Add an empty scenario at the end and open it.",
    "scenarios.duplicate": "Copy the open scenario, to try a variant of the same lead.",
    "scenarios.delete": "Remove the open scenario from the workbook.",
    "scenarios.profile": "The profile (fit) score: the sum of the ICP points.",
    "scenarios.engagement": "The engagement score: the sum of the activity points.",
    "scenarios.cell": "Profile grade followed by engagement level; A1 is the hottest.",
    "scenarios.state": "The state of the cell in the grid (or the knockout state).",
    "scenarios.number": "The scenario's number.",
    "scenarios.scenario": "Click a row to open it below.",
    "scenarios.est_grade": "The profile grade the team estimated.",
    "scenarios.est_level": "The engagement level the team estimated.",
    "scenarios.est_state": "The state the team estimated.",
    "scenarios.profile_2": "The model's profile (fit) score.",
    "scenarios.engagement_2": "The model's engagement score.",
    "scenarios.cell_2": "The profile grade and engagement level the model computes.",
    "scenarios.state_2": "The state the model computes for the cell.",
    "scenarios.agrees": "✓ every estimate given matches the model · ✗ at least one does not · – no estimate.",
    "scenarios.members_agreeing": (
        "Team members whose own estimated state matches the model, of those who gave one."
    ),
    "scenarios.est_cell": (
        "The profile grade and engagement level the team estimated (– where none was given), beside the "
        "model's cell."
    ),
    "scenarios.scenario_cut": (
        "Click a row to open it below, with its whole name and its profile and engagement scores."
    ),
    "scenarios.import_file": (
        "A CSV or Excel file with one scenario per row and a header row naming the columns: Scenario, "
        "then attributes and activities by name, State (the team's estimate) and Notes, in any order. "
        "A chosen file is read instead of any pasted rows."
    ),
    "scenarios.import_text": (
        "Rows copied from Excel or Google Sheets, one scenario per line. With a header line the columns "
        "may come in any order; without one: the name, the attributes, the activities, the state, the notes."
    ),
    "scenarios.import_go": (
        "Adds every row as a new scenario, all in one revision, or none if a row cannot be read "
        "(the reason names the row and column)."
    ),
    "sidebar.scenario_agreement": (
        "A scenario agrees when every estimate the team gave (grade, level, state) matches the model."
    ),
    "sidebar.your_name_optional": "Shown in the history next to the changes you make.",
    "sidebar.undo_last_change": (
        "Puts the workbook back as it was before its last change. The undo is itself saved as a "
        "revision, so it can be undone too (see History)."
    ),
    "sidebar.help": "Each section's weights must add up to 100 %.",
    "summary.download_draft": (
        "The model as it stands, valid or not, to keep working on it later. The file starts with a "
        "comment saying it is a draft and listing what is still invalid."
    ),
    "summary.example_workbook": (
        "Example models shipped with the app (the scenarios/ folder), to start from or to learn with."
    ),
    "summary.open_example": "Open this example as a new workbook; the current one is kept.",
    "summary.icp_attributes": "Profile attributes that describe the ideal buyer.",
    "summary.activities": "Engagement activities and assets that are scored.",
    "summary.scenario_agreement": (
        "Share of the scenarios with an estimate whose computed result matches every estimate given."
    ),
    "summary.team": "Members of the scoring team, steering committee included.",
    "summary.download_final": (
        "The agreed model file, for the steering committee and for loading into the marketing platform, "
        "CRM or data warehouse."
    ),
    "team.to": (
        "Any text, for a function or role the table does not offer; it then joins the table's choices. "
        "Leave empty to clear it."
    ),
    "team.name": (
        "Each member's name, unique within the team. Estimates in the test scenarios are recorded under "
        "it."
    ),
    "team.title": "Job title, e.g. VP Marketing, SDR team lead.",
    "team.function": (
        "The part of the business this person speaks for. For another function, use 'Another function or "
        "role' below the table."
    ),
    "team.role": (
        "Sponsor: owns the programme. Program manager: runs the workshops. Business lead: speaks for "
        "sales. Marketing ops / IT: loads the model into the platform. Member: everyone else."
    ),
    "team.steering_committee": "Steering-committee members review and sign off the final model.",
    "team.email": "Optional, e.g. dana.ortiz@example.com.",
    "team.may_edit": (
        "Off: only facilitators change the model; participants and steering members see the tabs read-only. "
        "On: they edit too. Viewers never edit."
    ),
    "team.give_role": (
        "Facilitator: edits, gives roles and links, marks release candidates. Participant: votes and comments, "
        "edits when allowed. Steering-committee member: approves or rejects in their own name. Viewer: reads."
    ),
    "team.invite": (
        "A personal link for this member: whoever opens it acts as them, with their role. It is shown once; "
        "send it to them only, and revoke it if it goes astray."
    ),
    "team.read_only_link": "A link that shows the workbook and its files to anyone who has it, without changing it.",
    "thresholds.state_of_a_knocked_out_lead": (
        "A value marked as knockout (e.g. a student, a competitor) sends the lead here, whatever its "
        "cell."
    ),
    "thresholds.a_lead_without_a_value_for_an_attribute": (
        "Count as 0: the attribute adds nothing. Leave out and rescale: the attribute is ignored and the "
        "remaining weights are scaled up to 100 %, so an unknown value neither helps nor hurts."
    ),
    "thresholds.state": "E.g. Send to sales, Qualify, Nurture.",
    "thresholds.action": "Who does what with a lead in this state.",
    "thresholds.grade": "A letter, best first (A, B, C, D).",
    "thresholds.level": "A number, best first (1, 2, 3, 4).",
    "workbooks.link": (
        "Anyone on this server who opens this link works on this workbook with you; changes show in "
        "every open browser within a few seconds."
    ),
    "workbooks.rename": (
        "The workbook's name is the model's name: it heads the summary and the exported file."
    ),
    "workbooks.duplicate": (
        "A new workbook that starts as a copy of this one as it is now. Its history starts fresh; the "
        "original keeps its own. The copy opens here."
    ),
    "workbooks.archive": (
        "Hides the workbook from the list. Nothing is deleted: switch on 'Show archived workbooks' below "
        "to see it again and bring it back."
    ),
    "workbooks.start_from": (
        "Blank: the usual states, grades, levels and grid, with no attributes yet. An example: a "
        "complete model shipped with the app. A model file: a YAML file exported from this app or "
        "written by hand."
    ),
    "workbooks.blank_name": "You can rename it later.",
    "workbooks.example": (
        "Example models shipped with the app (the scenarios/ folder), to start from or to learn with."
    ),
    "workbooks.upload": (
        "A model file (YAML, schema_version 1). A file that cannot be read as a model is refused whole "
        "and nothing is stored; a model that breaks a rule (say, weights not adding up to 100) becomes a "
        "draft workbook with its problems listed. At most {kb} KB."
    ),
    "workbooks.show_archived": "Archived workbooks are hidden, never deleted.",
    "workbooks.unarchive_current": "Show this workbook in the list again.",
    "workbooks.open_here": "This is the workbook you are working on.",
    "workbooks.open": "Work on this workbook (the link changes to it).",
    "workbooks.unarchive": "Show this workbook in the list again.",
    "app.team": (
        "Who is on the scoring team, their function and project role, and the steering committee."
    ),
    "app.thresholds": (
        "Profile grades, engagement levels, the action states and the grade × level grid."
    ),
    "app.icp_weights": (
        "The ideal customer profile: attributes, their weights and the sub-weights of their values."
    ),
    "app.activity_weights": (
        "Engagement activities and assets, their weights and values, including recency."
    ),
    "app.test_scenarios": "Concrete leads: the team's estimate beside the model's computed result.",
    "app.model_summary": (
        "A printable summary for the steering committee; download, upload and open models."
    ),
    "app.calibration": (
        "Suggested thresholds and weights that make more scenarios agree, sensitivity, team alignment."
    ),
    "app.workbooks": (
        "Every workbook: open, create (blank, from an example or a file), rename, duplicate, archive."
    ),
    "app.history": (
        "Every change as a revision: who changed what, when; restore, undo, compare two revisions."
    ),
    "app.review": (
        "Release candidates, the steering committee's approvals, and the final model file."
    ),
    "app.lead_list": (
        "Score a real lead list (CSV or Excel): spread over the grid, capacity, data quality, conversion."
    ),
    "app.fit": (
        "Let known outcomes suggest scores, weights and thresholds; funnel, sales' verdicts, champion vs challenger."
    ),
    "app.about": (
        "**Lead Scoring Workbook** — the team builds and tests its lead scoring model together: the ideal "
        "customer profile, the engagement activities, the grade × level grid and test scenarios. Every "
        "change is saved at once; the address bar always links to this workbook and page."
    ),
    "factors.profile_name": "An attribute of the ideal buyer, e.g. Job role, Employees, Geography.",
    "factors.profile_weight": (
        "How much this attribute counts in the profile %: its share of 100. A lead whose value scores "
        "100 earns all of these points, one that scores 50 earns half. All weights must add up to 100 %."
    ),
    "factors.profile_score": (
        "The share of the attribute's weight that a lead with this value earns, from −100 to 100: 100 = "
        "the full weight, 50 = half of it, 0 = nothing, negative = takes points away."
    ),
    "factors.profile_label": "A value of this attribute as the team says it, e.g. Head of sales operations. Unique.",
    "factors.engagement_name": "An activity or asset, e.g. Demo request, Pricing-page visit, Webinar attended.",
    "factors.engagement_weight": (
        "How much this activity counts in the engagement %: its share of 100, by how close it is to the "
        "ideal call to action (a demo request counts more than a company video). All weights must add up "
        "to 100 %."
    ),
    "factors.engagement_score": (
        "The share of the activity's weight that a lead with this value earns, from −100 to 100: 100 = "
        "the full weight (e.g. within the last 7 days), 60 = 60 % of it (e.g. within 60 days), negative "
        "= takes points away (e.g. unsubscribed)."
    ),
    "factors.engagement_label": (
        "A value of this activity, usually a recency band (Within 7 days, Within 30 days, Older…)."
    ),
    "factors.knockout": (
        "Tick to disqualify any lead with this value (a student, a competitor, a test entry): it goes to "
        "the knockout state set on the Thresholds page, whatever its grade and level. Its scores are "
        "still shown."
    ),
    "factors.points": "Percentage points this value adds to the section: weight × score ÷ 100.",
    "factors.usage": (
        "How many test scenarios pick this value. Renaming a value renames it in those scenarios; "
        "deleting it clears their choice."
    ),
    "factors.match_column": (
        "The column of a lead list (CSV or Excel) this {one} reads when a whole list is scored. Leave "
        "empty to read the column named like the {one}."
    ),
    "factors.match_equals": (
        "The cell equals one of these texts (case-insensitive). Separate texts with commas; put a text "
        "that holds a comma in double quotes, e.g. \"1,000+\", other."
    ),
    "factors.match_contains": (
        "The cell contains one of these texts (case-insensitive), e.g. sales ops, revops. Separate texts "
        "with commas."
    ),
    "factors.match_min": "The cell is a number at least this (e.g. 200 employees). With a maximum: min ≤ n < max.",
    "factors.match_max": "The cell is a number below this (e.g. 1000 employees: up to 999).",
    "factors.match_within_days": (
        "The cell is a date at most this many days before the scoring date, e.g. 7 for 'Within 7 days'. "
        "For recency values of activities."
    ),
    "factors.match_empty": "The cell is empty. Cannot be combined with another rule.",
    "factors.values": "How many values this {one} has (edit them below).",
    "factors.move_up": "Move this {one} up the list",
    "factors.move_down": "Move this {one} down the list",
    "thresholds.grade_min": (
        "Lowest profile % that earns this grade. Bands go best first with strictly decreasing minimums; "
        "the last band's minimum is always 0."
    ),
    "thresholds.level_min": (
        "Lowest engagement % that earns this level. Bands go best first with strictly decreasing "
        "minimums; the last band's minimum is always 0."
    ),
    "summary.upload": (
        "A model file exported from this app or written by hand (schema_version 1), at most {kb} KB. It "
        "opens as a new workbook; a model that breaks the rules still opens as a draft."
    ),
    "history.restore_current": "This revision is the current model.",
    "review.mark_already": "Already a release candidate.",
    "scenarios.factor_value": (
        "Weight {weight} of the {section} score. Each value earns the share of the weight shown in "
        "brackets; (none) = unknown."
    ),
    "recovery.view": (
        "Open the workbooks as they are, without changing anything: every page shows, every change is refused."
    ),
    "recovery.salvage": (
        "Copy every revision that can still be read into a new database file, which replaces this one; the "
        "damaged file is renamed and kept beside it. Each workbook opens at its last readable revision."
    ),
    "downloads.format": (
        "Every format the command line's export offers: the model file, JSON, the JSON Schema of the file, "
        "the scoring as a SQL query or a dbt model for the data warehouse, the workshop's Excel workbook, "
        "the PDF summary for the steering committee, and a setup pack per marketing-automation platform."
    ),
    "downloads.dialect": "The database the query runs on (for dbt: the project's adapter).",
    "downloads.table_sql": (
        "The lead table the query reads, as written in the warehouse (e.g. leads or analytics.leads)."
    ),
    "downloads.table_dbt": (
        "A dbt model name (leads → ref('leads')) or a source and table (crm.leads → source('crm', 'leads'))."
    ),
    "downloads.final": (
        "{description} The agreed model, for the steering committee and for loading into the marketing "
        "platform, CRM or data warehouse."
    ),
    "downloads.draft": (
        "The model as it stands, valid or not, to keep working on it later. It is marked as a draft: its file "
        "name ends in “draft” and, in formats with comments or a title page, it starts with a notice saying so "
        "(the model file lists what is still invalid)."
    ),
    "downloads.fidelity": (
        "The platform's own scoring, simulated as its documentation describes it, run over the test "
        "scenarios (and the lead list open on the Lead list page): the states it gives compared with the "
        "model's. The pack's fidelity.md holds the same report."
    ),
    "import_xlsx.upload": (
        "An Excel workbook exported from this app (Download the model › Excel workbook), edited in Excel or "
        "LibreOffice or not, at most {mb} MB."
    ),
    "import_xlsx.as": (
        "A new workbook leaves the current one as it is. A revision of the current workbook shows every "
        "difference first; applying it saves them as one revision, which Undo takes back."
    ),
    "import_xlsx.apply": "Save every difference listed above as one revision of the current workbook.",
    "import_xlsx.create": "Store the model of this Excel workbook as a new workbook and open it.",
    "leads.remove": "Take this list out of the session (the workbook does not change). Upload another to replace it.",
    "templates.apply": (
        "A template is a set of values — labels, scores and match rules — to reuse: the recency bands "
        "7 / 30 / 60 / 90 days are built in, and the team can save its own."
    ),
    "templates.apply_button": (
        "Replace the values of every chosen one with the template's, in one change (one Undo takes it back). "
        "Scenarios keep a value the template also has and lose the others."
    ),
    "templates.save": "Keep these values as a template for every workbook on this server.",
    "templates.copy": (
        "Give the chosen ones the same values as another attribute or activity, in one change."
    ),
    "workbooks.starter": (
        "Common B2B attributes and activities with sensible weights, values and match rules. Tick the ones "
        "your team uses; the weights are scaled to add up to 100. Everything can be changed afterwards."
    ),
    "workbooks.compare_with": "Another workbook on this server, or a model file you upload.",
    "app.presenter": (
        "The scenario under discussion, large, for the projector: no menus or editors. It follows the "
        "facilitator's scenario and shows the live vote. Its address can be opened on the projector's machine."
    ),
    "app.vote": (
        "Everyone votes on their own laptop or phone; the facilitator opens, reveals and records the votes here."
    ),
    "presenter.previous": "Show the previous scenario on every presenter screen (key: ←).",
    "presenter.next": "Show the next scenario on every presenter screen (key: →).",
    "vote.name": "Your name as on the Team tab, so the facilitator can record your vote as your estimate.",
    "vote.not_you": "Vote under another name on this device.",
    "vote.state": "The state you think this lead belongs in.",
    "vote.profile": "The profile grade you think this lead has (A is the best fit).",
    "vote.engagement": "The engagement level you think this lead has (1 is the most engaged).",
    "vote.screen": "The scenario every presenter screen shows; moving here moves them all.",
    "vote.ask_profile": "Participants choose a profile grade as well as the state.",
    "vote.ask_engagement": "Participants choose an engagement level as well as the state.",
    "vote.open": (
        "Start a vote on this scenario. Any other vote of this workbook ends; the presenter shows how many "
        "have voted, never what, until you reveal."
    ),
    "vote.reveal": "Show the votes to the room: the distribution by function, the model's answer, the agreement.",
    "vote.close": "End the vote without recording it (its ballots are kept).",
    "vote.team_estimate": "The team's estimate to record: the room's consensus unless the room settles on another.",
    "vote.record": (
        "Write each team member's vote as their estimate and the answers chosen as the team's estimate: one "
        "revision, which the sidebar's Undo takes back in one step."
    ),
    "vote.presenter_link": "Opens the presenter view for the projector in a new tab.",
    "vote.facilitating": "Shows the facilitator's controls on this device: the screen, opening and revealing votes.",
}
