from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from klimat import views

admin.site.site_header = "Klimatkommunerna – kansliet"
admin.site.site_title = "Klimatkommunerna"

# Swedish pages live at the root, English under /en/ (LocaleMiddleware reads the prefix).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", views.health, name="health"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("tillganglighet/", views.accessibility, name="accessibility"),
    prefix_default_language=False,
)
