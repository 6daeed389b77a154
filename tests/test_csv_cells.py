import csv
import io

import pytest

from gridmap.csv_cells import csv_text, safe_cell


@pytest.mark.parametrize("value", ["=1+1", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_become_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["城关镇", "a=b", "", -3, 2.5, None])
def test_other_cells_unchanged(value):
    assert safe_cell(value) == value


def test_csv_text_has_bom_and_safe_cells():
    text = csv_text(["name", "n"], [["=cmd()", -1], ["柳湖", 2]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["name", "n"], ["'=cmd()", "-1"], ["柳湖", "2"]]
    assert not csv_text(["a"], [], bom=False).startswith("\ufeff")
