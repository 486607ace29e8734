"""Writes for the plans part of the child's journey. Each function validates, writes atomically and audits."""
