from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from klimat import views

admin.site.site_header = "Klimatkommunerna – kansliet"
admin.site.site_title = "Klimatkommunerna"

# Not translated: the admin, the language switch, health, and the JSON API (which answers in the
# request's Accept-Language).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", views.health, name="health"),
    path("api/", include("fees.api_urls")),
]

# Swedish pages live at the root, English under /en/ (LocaleMiddleware reads the prefix).
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    path("personuppgifter/", views.privacy, name="privacy"),
    path("medlemskap/", views.membership, name="membership"),
    path("sa-ansoker-ni/", views.how_to_apply, name="how_to_apply"),
    path("observatorskap/", views.observer, name="observer"),
    path("roster-fran-medlemmar/", views.testimonials, name="testimonials"),
    path("kontakt/", views.contact, name="contact"),
    path("kontakt/tack/", views.contact_thanks, name="contact_thanks"),
    path("avgifter/", include("fees.urls")),
    path("test/", include("evaluation.urls")),
    path("", include("applications.urls")),
    prefix_default_language=False,
)
