app_name = "curated"

urlpatterns: list = []
