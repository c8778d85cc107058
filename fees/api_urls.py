from django.urls import path

from fees import api

app_name = "fees_api"
urlpatterns = [
    path("fee", api.fee, name="fee"),
]
