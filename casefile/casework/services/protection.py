"""Writes for the protection part of the child's journey. Each function validates, writes atomically and audits."""
