"""Admin addresses that take the place of Wagtail's own (see `core.reports`, `core.uploads.admin`).

Included in the project's urls.py before Wagtail's admin, on the same paths,
with the same access check.
"""

from django.urls import path
from django.views.decorators.cache import never_cache

from wagtail.admin.auth import require_admin_access
from wagtail.utils.urlpatterns import decorate_urlpatterns

from core import export_views, reports
from core.uploads import admin as upload_admin

urlpatterns = [
    path("exports/<int:pk>/", export_views.progress_view, name="core_export_progress"),
    path("exports/<int:pk>/download/", export_views.download_view, name="core_export_download"),
    # The account page, with the avatar cleaned like every other upload.
    path("account/", upload_admin.AccountView.as_view(), name="core_account"),
    path(
        "reports/workflow/",
        reports.ScopedWorkflowView.as_view(),
        name="scoped_workflow_report",
    ),
    path(
        "reports/workflow/results/",
        reports.ScopedWorkflowView.as_view(results_only=True),
        name="scoped_workflow_report_results",
    ),
    path(
        "reports/workflow_tasks/",
        reports.ScopedWorkflowTasksView.as_view(),
        name="scoped_workflow_tasks_report",
    ),
    path(
        "reports/workflow_tasks/results/",
        reports.ScopedWorkflowTasksView.as_view(results_only=True),
        name="scoped_workflow_tasks_report_results",
    ),
]

urlpatterns = decorate_urlpatterns(urlpatterns, require_admin_access)
urlpatterns = decorate_urlpatterns(urlpatterns, never_cache)
