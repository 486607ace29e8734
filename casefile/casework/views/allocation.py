"""Pages for the allocation part of the child's journey."""

urlpatterns: list = []
