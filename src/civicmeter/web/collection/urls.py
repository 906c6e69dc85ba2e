from django.urls import path

from .views import dashboard, survey, transfer

app_name = "collection"
urlpatterns = [
    # Respondents: answer a wave
    path("p/<slug:programme>/waves/<str:code>/cities/<slug:city>/start/", survey.start, name="start"),
    path("responses/<int:pk>/", survey.survey, name="survey"),
    path("responses/<int:pk>/answer/", survey.answer, name="answer"),
    path("responses/<int:pk>/submit/", survey.submit, name="submit"),
    path("responses/<int:pk>/history/", survey.history, name="history"),
    # Programme staff: run a wave
    path("p/<slug:programme>/waves/<str:code>/", dashboard.dashboard, name="dashboard"),
    path("p/<slug:programme>/waves/<str:code>/invite/", dashboard.invite, name="invite"),
    path("p/<slug:programme>/waves/<str:code>/remind/", dashboard.remind, name="remind"),
    path("p/<slug:programme>/waves/<str:code>/status/", dashboard.set_status, name="wave_status"),
    path("responses/<int:pk>/return/", dashboard.return_response, name="return"),
    path("responses/<int:pk>/validate/", dashboard.validate_response, name="validate"),
    path("p/<slug:programme>/waves/<str:code>/export.<str:fmt>", transfer.export, name="export"),
    path("p/<slug:programme>/waves/<str:code>/import/", transfer.import_responses, name="import"),
]
