"""Pages for the plans part of the child's journey."""

urlpatterns: list = []
