"""Pages for the episodes part of the child's journey."""

urlpatterns: list = []
