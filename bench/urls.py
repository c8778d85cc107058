"""The portal's URLs plus the baselines every page figure is divided by."""

from django.urls import path

from bench import views
from klimat.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/ok", views.ok, name="bench_ok"),
    path("bench/naive-form", views.naive_form, name="bench_naive_form"),
    path("bench/floor/<int:pk>", views.signed_in_floor, name="bench_signed_in_floor"),
    *portal_urlpatterns,
]
