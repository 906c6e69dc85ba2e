"""The typed reader shared by the rules and case files: one way to read a code, a text, a list; and
the one set of messages every narrative file (rules, cases, wording) gives when it cannot be read.

Both formats record problems under their key path and read on (``civicmeter.yaml_schema``), so a
programme sees every problem of a file at once; they differ only in their codes, which a subclass sets.
"""

from __future__ import annotations

import string
from typing import Any, ClassVar

from civicmeter.narrative import errors as E
from civicmeter.narrative.errors import NarrativeError
from civicmeter.narrative.texts import LANGUAGES, SOURCE_LANGUAGE, Text
from civicmeter.yaml_schema import FileMessages, MappingReader, is_whole


def file_messages(what: str, code: str, keys: tuple[str, ...]) -> FileMessages:
    """What a narrative file (rules, cases, wording) says when it cannot be read at all: one code
    per format, the format named in the text."""
    return FileMessages(
        error=NarrativeError.single,
        code=code,
        unreadable=E.UNREADABLE.format(what=what, detail="{detail}"),
        syntax=E.UNREADABLE.format(what=what, detail="{detail}"),
        not_mapping=E.NOT_MAPPING.format(what=what, keys=", ".join(keys)),
    )


def check_placeholders(reader: MappingReader, key: str, text: str, allowed: tuple[str, ...]) -> None:
    """Record a placeholder in ``text`` (in any of its languages) that the code will not fill (or a
    broken brace)."""
    if isinstance(text, Text):
        for lang, each in text.translations.items():
            where = key if lang == SOURCE_LANGUAGE and len(text.translations) == 1 else f"{key}.{lang}"
            _check_one(reader, where, each, allowed)
        return
    _check_one(reader, key, text, allowed)


def missing_languages(texts: dict[str, Text], languages: set[str]) -> dict[str, list[str]]:
    """``{language: [places]}``: for each of ``languages``, the places whose text lacks it."""
    return {
        lang: [place for place, text in texts.items() if lang not in text.translations]
        for lang in sorted(languages)
        if any(lang not in text.translations for text in texts.values())
    }


def check_languages(reader: MappingReader, texts: dict[Any, dict[str, Text]], *, key: str, what: str) -> None:
    """Every language any text of a file is written in is given for every text of every entry
    (``narrative.E018``). ``texts`` holds each entry's texts by place, under the entry's id; a gap
    is a problem at ``{key}.{id}`` that names the entry as ``{what} {id}``."""
    languages = {lang for each in texts.values() for text in each.values() for lang in text.translations}
    for entry, each in texts.items():
        for lang, places in missing_languages(each, languages).items():
            reader.problem(
                f"{key}.{entry}",
                "narrative.E018",
                E.MISSING_LANGUAGE.format(what=f"{what} {entry}", lang=lang, places=", ".join(places)),
            )


def _check_one(reader: MappingReader, key: str, text: str, allowed: tuple[str, ...]) -> None:
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as exc:
        reader.problem(key, reader.VALUE_CODE, f"{exc}; write {{{{ and }}}} for a literal brace")
        return
    for name in names:
        if name not in allowed:
            shown = ", ".join("{" + a + "}" for a in allowed) or "no placeholders"
            reader.problem(key, reader.VALUE_CODE, E.BAD_PLACEHOLDER.format(name=name, allowed=shown))


class RuleReader(MappingReader):
    """Reader of the rules file (``narrative.E002``-``E004``)."""

    UNKNOWN_CODE = "narrative.E002"
    NOT_MAPPING_CODE = "narrative.E004"
    MISSING_CODE: ClassVar[str] = "narrative.E003"
    VALUE_CODE: ClassVar[str] = "narrative.E004"

    def _missing(self, key: str, hint: str) -> None:
        self.problem(key, self.MISSING_CODE, E.MISSING_KEY.format(hint=hint))

    def code(self, key: str, required: bool = True) -> str | None:
        value = self.content.get(key)
        if value is None:
            if required:
                self._missing(key, f"give {key} as a short code")
            return None
        return self.code_value(key)

    def code_value(self, key: str) -> str | None:
        value = self.content.get(key)
        text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
        if not text or " " in text:
            self.problem(key, self.VALUE_CODE, E.BAD_CODE.format(value=value))
            return None
        return text

    def text(self, key: str, required: bool = True) -> str:
        value = self.content.get(key)
        if value is None and not required:
            return ""
        if value is None:
            self._missing(key, f"give {key} as text")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(key, self.VALUE_CODE, E.BAD_TEXT.format(value=value))
            return ""
        return " ".join(value.split())

    def translated(self, key: str, required: bool = True) -> Text | None:
        """Text in English, or ``{en: ..., es: ..., fr: ...}`` (English required, the others optional)."""
        value = self.content.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            text = self.text(key, required)
            return Text({SOURCE_LANGUAGE: text}) if text else None
        return self._languages(self.nested(value, key), key)

    def _languages(self, sub: RuleReader, key: str) -> Text | None:
        sub.only(LANGUAGES)
        texts = {lang: sub.text(lang) for lang in LANGUAGES if lang in sub.content or lang == SOURCE_LANGUAGE}
        return Text(texts) if all(texts.values()) else None

    def translated_list(self, key: str, what: str) -> tuple[Text, ...] | None:
        """A non-empty list whose items are each a text or a ``{language: text}`` mapping."""
        value: Any = self.content.get(key)
        if not isinstance(value, list) or not value:
            self.problem(key, self.VALUE_CODE, E.BAD_LIST.format(what=what, value=value))
            return None
        items = []
        for k, item in enumerate(value):
            if isinstance(item, dict):
                items.append(self._languages(self.nested(item, f"{key}.{k}"), key))
            elif isinstance(item, str) and item.strip():
                items.append(Text({SOURCE_LANGUAGE: " ".join(item.split())}))
            else:
                self.problem(f"{key}.{k}", self.VALUE_CODE, E.BAD_TEXT.format(value=item))
                items.append(None)
        return None if None in items else tuple(items)

    def whole(self, key: str, low: int) -> int | None:
        value = self.content.get(key)
        if value is None:
            self._missing(key, f"give {key} as a whole number")
            return None
        if not is_whole(value, low):
            self.problem(key, self.VALUE_CODE, E.BAD_NUMBER.format(bound=f">= {low}", value=value))
            return None
        return int(value)

    def choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        value = self.content.get(key)
        if value not in allowed:
            self.problem(key, self.VALUE_CODE, f"must be one of {', '.join(allowed)}, got {value!r}")
            return None
        return value

    def codes(self, key: str, what: str, required: bool = True) -> tuple[str, ...] | None:
        value: Any = self.content.get(key)
        if value is None and not required:
            return ()
        ok = (
            isinstance(value, list)
            and value
            and all(
                isinstance(v, str | int)
                and not isinstance(v, bool)
                and str(v).strip()
                and " " not in str(v).strip()
                for v in value
            )
        )
        if not ok:
            self.problem(key, self.VALUE_CODE, E.BAD_LIST.format(what=what, value=value))
            return None
        return tuple(str(v).strip() for v in value)

    def texts(self, key: str, what: str) -> tuple[str, ...] | None:
        value: Any = self.content.get(key)
        ok = isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)
        if not ok:
            self.problem(key, self.VALUE_CODE, E.BAD_LIST.format(what=what, value=value))
            return None
        return tuple(" ".join(v.split()) for v in value)
