"""Every CSV download goes through csv_response, which no spreadsheet can be tricked into running."""

import csv
import io

from casefile.core.exports import csv_response


def test_cells_that_a_spreadsheet_would_run_are_quoted_and_others_kept():
    response = csv_response("list.csv", ["Name", "=Header"], [
        ["=HYPERLINK(\"http://evil.example\")", "+44 1234", "-1", "@SUM(A1)", "Lily"],
        [None, 3, "\tTabbed", "a,b", "line\nbreak"],
    ])
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Name", "'=Header"]
    assert rows[1] == ["'=HYPERLINK(\"http://evil.example\")", "'+44 1234", "'-1", "'@SUM(A1)", "Lily"]
    assert rows[2] == ["", "3", "'\tTabbed", "a,b", "line\nbreak"]
    assert response["Content-Disposition"] == 'attachment; filename="list.csv"'
    assert response["Cache-Control"] == "no-store"


def test_every_csv_starts_with_a_byte_order_mark_so_excel_reads_it_as_utf8():
    response = csv_response("list.csv", ["Name"], [["Zoë Okafor"]])
    assert response.content.startswith(b"\xef\xbb\xbfName\r\n")
    assert "Zoë Okafor".encode() in response.content
