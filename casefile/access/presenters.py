"""What the access pages show, built here so templates stay simple."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html

from casefile.access.models import SharedItem
from casefile.core.presenters import govuk_date, table_params


def shared_items(share) -> str:
    """What of the record is shared beyond who the child is, in the order of the choices."""
    labels = [item.label for item in SharedItem if item.value in share.items]
    return "; ".join(labels) if labels else "Who the child is only"


def shares_table(shares) -> dict:
    """The records shared with a partner's agency (access.sharing.current_shares), soonest to expire first."""
    return table_params(
        caption="Records shared with your agency, soonest to expire first",
        caption_classes="govuk-visually-hidden",
        id="shared-records", first_cell_is_header=True,
        head=["Child", "Why it is shared", "What is shared", "Shared until"],
        rows=[[format_html('<a class="govuk-link" href="{}">{}</a>',
                           reverse("people:record", kwargs={"person_id": share.child_id}), share.child.display_name),
               share.purpose, shared_items(share), govuk_date(share.expires_on)] for share in shares])
