from django.contrib import admin

from applications.models import Organisation, PopulationFigure


class PopulationFigureInline(admin.TabularInline):
    model = PopulationFigure
    extra = 0
    fields = ["date", "population", "source"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "county_name", "population", "population_date"]
    list_filter = ["kind", "county_name"]
    search_fields = ["name", "short_name", "code"]
    inlines = [PopulationFigureInline]
    # Reference data comes from SCB's files (import_population), not from typing.
    readonly_fields = ["population", "population_date"]
