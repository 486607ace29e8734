from casefile.frontdoor.views import contacts, decisions, imports

app_name = "frontdoor"
urlpatterns = [*contacts.urlpatterns, *decisions.urlpatterns, *imports.urlpatterns]
