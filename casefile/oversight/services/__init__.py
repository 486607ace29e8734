"""Writes in oversight, one module per area: challenge (chair and IRO escalation, report feedback)."""
