from django.urls import path

from evaluation import views

app_name = "evaluation"
# "summary" and "evidence" come before the section pattern; bank files may not use them as slugs.
urlpatterns = [
    path("<int:pk>/", views.start, name="start"),
    path("<int:pk>/summary/", views.summary, name="summary"),
    path("<int:pk>/evidence/<int:answer_id>/", views.evidence, name="evidence"),
    path("<int:pk>/<slug:slug>/", views.section, name="section"),
]
