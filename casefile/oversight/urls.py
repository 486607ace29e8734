from casefile.oversight.views import challenge

app_name = "oversight"

urlpatterns = [*challenge.urlpatterns]
