from casefile.casework.views import allocation, episodes, plans, protection

app_name = "casework"
urlpatterns = [*episodes.urlpatterns, *protection.urlpatterns, *plans.urlpatterns, *allocation.urlpatterns]
