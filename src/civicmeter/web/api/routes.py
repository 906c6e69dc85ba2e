"""The v1 URL map (``/api/v1/``): public lists, a published wave's files, and staff writes."""

from django.urls import path

from .views import downloads, public, staff

WAVE = "programmes/<str:programme>/waves/<str:code>/"

urlpatterns = [
    path("programmes/", public.ProgrammeList.as_view(), name="programmes"),
    path("waves/", public.WaveList.as_view(), name="waves"),
    path("cities/", public.CityList.as_view(), name="cities"),
    path("results/", public.ResultList.as_view(), name="results"),
    path("shares/", public.ShareList.as_view(), name="shares"),
    path("peer-groups/", public.PeerGroupList.as_view(), name="peer_groups"),
    path("programmes/<str:programme>/outcomes/", public.OutcomeList.as_view(), name="outcomes"),
    path(f"{WAVE}analyses/", public.AnalysisList.as_view(), name="analyses"),
    path(f"{WAVE}responses/import/", staff.ResponsesImportView.as_view(), name="responses_import"),
    path(f"{WAVE}score/", staff.ScoreView.as_view(), name="wave_score"),
    path(f"{WAVE}publish/", staff.PublishView.as_view(), name="wave_publish"),
    path(f"{WAVE}files/<str:filename>", downloads.WaveFile.as_view(), name="wave_file"),
    path(
        "programmes/<str:programme>/outcomes/import/",
        staff.OutcomesImportView.as_view(),
        name="outcomes_import",
    ),
]
