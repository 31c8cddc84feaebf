"""Staff URLs for importing and exporting applications (under /gestion/candidatures/)."""


app_name = "applications_staff"

urlpatterns: list = []
