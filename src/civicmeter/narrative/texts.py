"""A text of the rules or case files in every language it was written in.

Why a ``str`` subclass: the English text stays the value, so everything that already reads a title,
an action or a case summary as plain text (exports, the agenda's copies, ``explain()``) keeps working
unchanged, while a page asks ``in_language(lang)`` for its own language and ``language_of(lang)`` for
the ``lang`` attribute to mark the text with (``"en"`` when the file has no translation).
"""

from __future__ import annotations

from types import MappingProxyType

#: The languages narrative texts are written in (the site's languages).
LANGUAGES = ("en", "es", "fr")
#: The language every rules or case text must have; the others fall back to it.
SOURCE_LANGUAGE = "en"


class Text(str):
    """English text (the ``str`` value) with its translations, ``{language: text}``."""

    translations: MappingProxyType

    def __new__(cls, texts: dict[str, str]) -> Text:
        obj = super().__new__(cls, texts[SOURCE_LANGUAGE])
        obj.translations = MappingProxyType(dict(texts))
        return obj

    def __reduce__(self):
        return (Text, (dict(self.translations),))

    def language_of(self, language: str) -> str:
        """The language ``in_language(language)`` is written in: ``language`` or English."""
        return language if language in self.translations else SOURCE_LANGUAGE

    def in_language(self, language: str) -> str:
        """The text in ``language``, or in English when it was not translated."""
        return self.translations[self.language_of(language)]
