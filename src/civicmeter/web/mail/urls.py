from django.urls import path

from . import views

app_name = "mail"
urlpatterns = [path("mail/<int:pk>/resend/", views.resend, name="resend")]
