from django.urls import path

from applications import views_signin

app_name = "applications"
urlpatterns: list = []

# Sign-in by emailed link (DESIGN.md §2); "skickat/" must come before the token route.
urlpatterns += [
    path("logga-in/", views_signin.signin_request, name="signin"),
    path("logga-in/skickat/", views_signin.signin_sent, name="signin_sent"),
    path("logga-in/<str:token>/", views_signin.signin_confirm, name="signin_confirm"),
    path("logga-ut/", views_signin.signout, name="signout"),
]
