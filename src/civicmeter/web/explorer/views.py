"""Public pages."""

from django.shortcuts import render

from . import selectors


def home(request):
    return render(
        request,
        "explorer/home.html",
        {
            "overview": selectors.programme_overview(),
            "counts": selectors.city_counts(),
        },
    )
