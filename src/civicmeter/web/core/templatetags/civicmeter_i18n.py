"""Names that may not exist in the page's language, marked with the language they are shown in.

A Spanish page that shows a programme's English name must say so (``<span lang="en">``, WCAG
3.1.2), or a screen reader reads the English with Spanish pronunciation.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def programme_name(programme):
    """The programme's name in the current language, or its default name marked with its language."""
    current = get_language()
    name, language = programme.name_in(current)
    if language == current:
        return name
    return format_html('<span lang="{}">{}</span>', language, name)
