"""The front door's list presenters build govukTable rows; the table component renders them."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from django.template import engines
from markupsafe import Markup

from casefile.core.presenters import counted, table_params
from casefile.frontdoor.presenters import outstanding_checks_table


def test_counted_says_one_in_the_singular():
    assert [counted(n, "check") for n in (0, 1, 2)] == ["0 checks", "1 check", "2 checks"]
    assert counted(2, "child", "children") == "2 children"


def test_table_params_shows_markup_as_html_text_as_text_and_lines_up_numbers():
    params = table_params(head=["Name", "Cases"], rows=[[Markup("<b>Sam</b>"), 3], ["<i>Tess</i>", None]],
                          caption="Workers", id="workers", numeric=(1,))
    assert params["head"] == [{"text": "Name"}, {"text": "Cases", "format": "numeric"}]
    assert params["rows"] == [[{"html": Markup("<b>Sam</b>")}, {"text": "3", "format": "numeric"}],
                              [{"text": "<i>Tess</i>"}, {"text": "", "format": "numeric"}]]
    assert params["attributes"] == {"id": "workers"} and params["captionClasses"] == "govuk-table__caption--m"


def test_the_table_component_renders_a_presenters_table_escaping_text():
    template = engines["jinja2"].from_string(
        '{% from "components/table.html" import table %}{{ table(params) }}|{{ table(head=["A"], rows=[["<x>"]]) }}')
    html = " ".join(template.render({"params": table_params(head=["Name"], rows=[["<script>"]], id="people")}).split())
    assert '<table class="govuk-table" id="people">' in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "&lt;x&gt;" in html.split("|")[1]


def test_a_check_names_every_child_and_escapes_what_was_typed():
    check = SimpleNamespace(get_agency_display=lambda: "Health", asked_of="Health visiting <North>",
                            requested_at=datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC),
                            requested_by="Fran Officer")
    row = SimpleNamespace(check=check, children=[SimpleNamespace(full_name="Lily Hartley"),
                                                 SimpleNamespace(full_name="Jack O'Neil")],
                          waiting=SimpleNamespace(describe=lambda: "2 working days"), url="/checks/1/",
                          contact_url="/contacts/1/")
    params = outstanding_checks_table([row])
    assert params["caption"] == "1 check, oldest first"
    children, agency, asked, waited, action = params["rows"][0]
    assert children["html"] == '<a class="govuk-link" href="/contacts/1/">Lily Hartley, Jack O&#x27;Neil</a>'
    assert agency == {"text": "Health: Health visiting <North>"}  # text: the macro escapes it
    assert asked == {"text": "2 March 2026 at 9:30am by Fran Officer"}
    assert "from health about Lily Hartley, Jack O&#x27;Neil" in action["html"]
