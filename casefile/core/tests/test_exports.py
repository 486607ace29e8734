"""Every CSV download goes through csv_response, which no spreadsheet can be tricked into running."""

import csv
import io

from casefile.core.exports import csv_response


def test_cells_that_a_spreadsheet_would_run_are_quoted_and_others_kept():
    response = csv_response("list.csv", ["Name", "=Header"], [
        ["=HYPERLINK(\"http://evil.example\")", "+44 1234", "-1", "@SUM(A1)", "Lily"],
        [None, 3, "\tTabbed", "a,b", "line\nbreak"],
    ])
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Name", "'=Header"]
    assert rows[1] == ["'=HYPERLINK(\"http://evil.example\")", "'+44 1234", "'-1", "'@SUM(A1)", "Lily"]
    assert rows[2] == ["", "3", "'\tTabbed", "a,b", "line\nbreak"]
    assert response["Content-Disposition"] == 'attachment; filename="list.csv"'
    assert response["Cache-Control"] == "no-store"
