"""One reader of quoted separated text (workbook.files.quoted) under both of its users: a block
pasted from a spreadsheet (editing.split_block) and a match key's texts typed into one cell
(match.row_cells.split_texts / join_texts)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbook.editing import split_block
from workbook.files.quoted import split_quoted
from workbook.match.row_cells import join_texts, split_texts


def test_separators_and_line_breaks_inside_quotes_belong_to_the_cell():
    assert split_quoted('a\t"b\tc"\n"d\ne"\t"say ""hi"""', "\t", "\n") == [["a", "b\tc"], ["d\ne", 'say "hi"']]


def test_unquoted_cells_are_trimmed_quoted_cells_keep_their_spaces():
    assert split_quoted(' a ,  " b " , c', ",") == [["a", " b ", "c"]]


def test_text_after_a_closing_quote_is_kept_but_its_trailing_spaces():
    assert split_quoted('"a" b  ,c', ",") == [["a b", "c"]]


def test_empty_text_trailing_line_break_and_blank_cells():
    assert split_quoted("", ",") == []
    assert split_quoted("a\tb\n", "\t", "\n") == [["a", "b"]]
    assert split_quoted("a,,", ",") == [["a", "", ""]]
    assert split_quoted('""', ",") == [[""]]


def test_a_quote_never_closed_keeps_the_rest_as_typed():
    assert split_quoted('a,"b, c ', ",") == [["a", "b, c "]]


def test_without_a_line_break_a_line_break_is_text():
    assert split_quoted("a\nb,c", ",") == [["a\nb", "c"]]


def test_a_quote_inside_an_unquoted_cell_is_text():
    assert split_quoted('5" screen, x', ",") == [['5" screen', "x"]]


def test_the_two_users_read_quotes_alike():
    assert split_texts('Chef, "Acme, Inc", "say ""hi"""') == ["Chef", "Acme, Inc", 'say "hi"']
    assert split_block('Chef\t"Acme\tInc"\t"say ""hi"""') == [["Chef", "Acme\tInc", 'say "hi"']]


item = st.text(alphabet=st.sampled_from('ab ,"\t\n'), max_size=8).filter(lambda s: s.strip())


@given(st.lists(item, max_size=5))
def test_split_texts_reads_back_what_join_texts_wrote(items):
    assert split_texts(join_texts(items)) == items


def _spreadsheet_copy(rows: list[list[str]]) -> str:
    """Rows as a spreadsheet copies them: a cell holding a tab, line break or quote is quoted."""

    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in '\t\n"') else text

    return "\n".join("\t".join(cell(c) for c in row) for row in rows) + "\n"


@given(st.lists(st.lists(item, min_size=1, max_size=4), max_size=4))
def test_split_block_reads_back_a_spreadsheets_copy(rows):
    assert split_block(_spreadsheet_copy(rows)) == [[c.strip() for c in row] for row in rows]
