from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import QueuedPasswordResetForm


def _auth_page(route: str, view, name: str, then: str | None = None, **options):
    """One of Django's sign-in and password views, on our template named like the URL
    (``accounts/<name>.html``); ``then`` names the step a successful form leads to."""
    if then:
        options["success_url"] = reverse_lazy(f"accounts:{then}")
    return path(route, view.as_view(template_name=f"accounts/{name}.html", **options), name=name)


app_name = "accounts"
urlpatterns = [
    _auth_page("login/", views.SignInView, "login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", views.home, name="home"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    _auth_page(
        "password/change/", auth_views.PasswordChangeView, "password_change", then="password_change_done"
    ),
    _auth_page("password/change/done/", auth_views.PasswordChangeDoneView, "password_change_done"),
    _auth_page(
        "password/reset/",
        auth_views.PasswordResetView,
        "password_reset",
        then="password_reset_done",
        form_class=QueuedPasswordResetForm,
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
    ),
    _auth_page("password/reset/sent/", auth_views.PasswordResetDoneView, "password_reset_done"),
    _auth_page(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView,
        "password_reset_confirm",
        then="password_reset_complete",
    ),
    _auth_page("password/reset/done/", auth_views.PasswordResetCompleteView, "password_reset_complete"),
]
