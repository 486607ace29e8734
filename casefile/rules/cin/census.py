"""A CIN census return as plain tables: what the validator reads, whether it came from a file or the record.

The tables and their columns are the DfE census's own element names, one row per block, so each rule reads as
the DfE wrote it. Every row carries `LAchildID`, and rows below a child carry the counters the census file
lacks: `CINdetailsID` (1, 2, ... within the child), `AssessmentID` and `CPPID` (1, 2, ... within the episode).

Values: dates are `datetime.date` (None when absent or not a real date); every other value is the text as
written, stripped (None when absent or empty). `Assessments` rows hold their factor codes as a tuple in
`AssessmentFactors`; each factor is also a row of `AssessmentFactorsList`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from functools import cached_property

TABLES: dict[str, tuple[str, ...]] = {
    "Header": ("Collection", "Year", "ReferenceDate", "SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo",
               "DateTime"),
    "ChildIdentifiers": ("LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate",
                         "GenderCurrent", "Sex", "PersonDeathDate"),
    "ChildCharacteristics": ("LAchildID", "Ethnicity"),
    "Disabilities": ("LAchildID", "Disability"),
    "CINdetails": ("LAchildID", "CINdetailsID", "CINreferralDate", "ReferralSource", "PrimaryNeedCode",
                   "CINclosureDate", "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA"),
    "Assessments": ("LAchildID", "CINdetailsID", "AssessmentID", "AssessmentActualStartDate",
                    "AssessmentInternalReviewDate", "AssessmentAuthorisationDate", "AssessmentFactors"),
    "AssessmentFactorsList": ("LAchildID", "CINdetailsID", "AssessmentID", "AssessmentFactor"),
    "CINplanDates": ("LAchildID", "CINdetailsID", "CINPlanStartDate", "CINPlanEndDate"),
    "Section47": ("LAchildID", "CINdetailsID", "S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC",
                  "ICPCnotRequired"),
    "ChildProtectionPlans": ("LAchildID", "CINdetailsID", "CPPID", "CPPstartDate", "CPPendDate",
                             "InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP"),
    "Reviews": ("LAchildID", "CINdetailsID", "CPPID", "CPPreviewDate"),
}

DATE_FIELDS = frozenset({
    "ReferenceDate", "PersonBirthDate", "ExpectedPersonBirthDate", "PersonDeathDate", "CINreferralDate",
    "CINclosureDate", "DateOfInitialCPC", "AssessmentActualStartDate", "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate", "CINPlanStartDate", "CINPlanEndDate", "S47ActualStartDate", "InitialCPCtarget",
    "CPPstartDate", "CPPendDate", "CPPreviewDate",
})

Row = dict[str, object]


def as_date(text: str | None) -> datetime.date | None:
    """A census date (YYYY-MM-DD, as the schema's xs:date) or None when absent or not a real date."""
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


@dataclasses.dataclass
class Census:
    """One return: its header and its tables of rows (see TABLES for the columns)."""

    header: Row
    tables: dict[str, list[Row]]

    @classmethod
    def empty(cls, header: Row | None = None) -> Census:
        return cls(header=dict(header or {}), tables={name: [] for name in TABLES if name != "Header"})

    def rows(self, table: str) -> list[Row]:
        return [self.header] if table == "Header" else self.tables[table]

    @property
    def children(self) -> list[str]:
        return [row["LAchildID"] for row in self.tables["ChildIdentifiers"]]

    @property
    def reference_date(self) -> datetime.date | None:
        value = self.header.get("ReferenceDate")
        return value if isinstance(value, datetime.date) else None

    @property
    def period_start(self) -> datetime.date | None:
        """The census year starts on 1 April of the year before the reference date (31 March)."""
        end = self.reference_date
        return datetime.date(end.year - 1, 4, 1) if end else None

    @cached_property
    def _by_child(self) -> dict[str, dict[object, list[tuple[int, Row]]]]:
        return {}

    def by_child(self, table: str) -> dict[object, list[tuple[int, Row]]]:
        """Rows of a table grouped by LAchildID, each with its index in the table (built once per table)."""
        grouped = self._by_child.get(table)
        if grouped is None:
            grouped = defaultdict(list)
            for index, row in enumerate(self.rows(table)):
                grouped[row.get("LAchildID")].append((index, row))
            self._by_child[table] = grouped
        return grouped
