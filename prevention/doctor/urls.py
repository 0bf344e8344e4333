from django.urls import path

from prevention.doctor import views

# Included by prevention/urls.py into its own list (the "prevention" namespace, one access walk).
urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/cramps-report.pdf", views.report_download, name="report_pdf"),
    path("report/links/", views.share, name="report_share"),
    path("report/links/<int:link>/revoke/", views.revoke, name="report_revoke"),
    path("shared/<str:token>/", views.shared_report, name="shared_report"),
    path("shared/<str:token>/report.pdf", views.shared_report_pdf, name="shared_report_pdf"),
]
