from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Harrow Innovation Pipeline: administration"
admin.site.site_title = "Harrow Innovation Pipeline admin"
admin.site.index_title = "Manage the service"

urlpatterns = [
    path("", include("harrow_innovation.core.urls")),
    path("accounts/", include("harrow_innovation.people.urls")),
    path("ideas/", include("ideas.urls")),
    path("board/", include("board.urls")),
    path("notifications/", include("notifications.urls")),
    path("portfolio/", include("portfolio.urls")),
    path("api/", include("portfolio.api.urls")),
    path("oidc/", include("harrow_innovation.people.oidc_urls")),
    path("admin/", admin.site.urls),
]

handler403 = "harrow_innovation.core.views.permission_denied"
handler404 = "harrow_innovation.core.views.page_not_found"
handler500 = "harrow_innovation.core.views.server_error"
