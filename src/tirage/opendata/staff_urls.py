app_name = "opendata_staff"

urlpatterns: list = []
