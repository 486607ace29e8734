from django.urls import path

from casefile.people import views

app_name = "people"
urlpatterns = [
    path("search/", views.search, name="search"),
    path("new/", views.create, name="create"),
    path("<int:person_id>/", views.person_record, name="record"),
    path("<int:person_id>/chronology/", views.chronology_page, name="chronology"),
    path("<int:person_id>/chronology/analysis/", views.chronology_note, name="chronology_note"),
    path("<int:person_id>/chronology/export/", views.chronology_export, name="chronology_export"),
    path("<int:person_id>/chronology/export/<uuid:job_id>/", views.chronology_download, name="chronology_download"),
    path("<int:person_id>/chronology/print/", views.chronology_print, name="chronology_print"),
    path("<int:person_id>/merged-records/", views.merged_records, name="merged_records"),
    path("<int:person_id>/edit/", views.edit, name="edit"),
    path("<int:person_id>/names/new/", views.add_alias, name="add_alias"),
    path("<int:person_id>/addresses/new/", views.add_address, name="add_address"),
    path("<int:person_id>/disabilities/", views.set_disabilities, name="disabilities"),
    path("<int:person_id>/relationships/new/", views.add_relationship, name="add_relationship"),
    path("<int:person_id>/households/new/", views.add_to_household, name="add_to_household"),
    path("<int:person_id>/merge/", views.merge, name="merge"),
    path("<int:person_id>/unmerge/", views.unmerge, name="unmerge"),
]
