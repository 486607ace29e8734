"""Writes for the episodes part of the child's journey. Each function validates, writes atomically and audits."""
