from django.urls import path

from applications import views_signin
from applications.views import parts, start, status

app_name = "applications"

# The applicant's journey (issue 5, parts 3-7). Swedish paths; English pages live under /en/.
urlpatterns = [
    path("ansokan/", start.dashboard, name="dashboard"),
    path("ansokan/ny/", start.start, name="start"),
    path("ansokan/organisationer/", start.organisation_search, name="organisation_search"),
    path("ansokan/<int:pk>/organisation/", parts.organisation, name="organisation"),
    path("ansokan/<int:pk>/kontaktpersoner/", parts.contacts, name="contacts"),
    path("ansokan/<int:pk>/observatorskap/", parts.observer_reason, name="observer_reason"),
    path("ansokan/<int:pk>/observatorskap/byt/", parts.switch_to_observer, name="switch_to_observer"),
    path("ansokan/<int:pk>/sammanfattning/", parts.summary, name="summary"),
    path("ansokan/<int:pk>/skicka/", parts.submit, name="submit"),
    path("ansokan/<int:pk>/status/", status.status, name="status"),
    path("ansokan/<int:pk>/erbjudande.pdf", status.offer_letter, name="offer_letter"),
    path("ansokan/<int:pk>/anslutningsbeslut/", status.joining_decision, name="joining_decision"),
    path("ansokan/<int:pk>/anslutningsbeslut/protokoll.pdf", status.joining_minutes, name="joining_minutes"),
]

# Sign-in by emailed link (DESIGN.md §2); "skickat/" must come before the token route.
urlpatterns += [
    path("logga-in/", views_signin.signin_request, name="signin"),
    path("logga-in/skickat/", views_signin.signin_sent, name="signin_sent"),
    path("logga-in/<str:token>/", views_signin.signin_confirm, name="signin_confirm"),
    path("logga-ut/", views_signin.signout, name="signout"),
]
