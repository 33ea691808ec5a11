"""The municipality of a vacancy: from a free address («Самарская обл, г Тольятти, ул. …») or a name an
operator wrote in a file («Тольятти», «г. о. Тольятти», «Кинельский район», «36440»).

Names are matched as whole words, hyphens included, so «Кинель» is never found in «Кинель-Черкассы» nor
«Самара» in «Самарская область». An address names its places from the region down, so the first
municipality named wins; a district's administrative centre (``reference.PLACES``) stands for its
district. Both forms are compared without case and with «ё» read as «е».
"""

from __future__ import annotations

import re

from backend_client.reference import BY_CODE, MUNICIPALITIES, PLACES, MunicipalityKind


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("ё", "е").split())


_BY_NAME: dict[str, str] = {_key(m.name): m.code for m in MUNICIPALITIES}
_BY_NAME.update({_key(place): code for place, code in PLACES.items()})
_BY_TITLE: dict[str, str] = {_key(m.title): m.code for m in MUNICIPALITIES}
_BY_TITLE.update(
    {
        _key(f"{m.name} муниципальный район"): m.code
        for m in MUNICIPALITIES
        if m.kind is MunicipalityKind.DISTRICT
    }
)
_BY_TITLE.update({_key(f"г. {m.name}"): m.code for m in MUNICIPALITIES if m.kind is MunicipalityKind.CITY})
_BY_TITLE.update({_key(f"г.о. {m.name}"): m.code for m in MUNICIPALITIES if m.kind is MunicipalityKind.CITY})

_LETTER = r"[0-9a-zа-я-]"
_IN_ADDRESS = re.compile(
    rf"(?<!{_LETTER})(?:{'|'.join(re.escape(name) for name in sorted(_BY_NAME, key=len, reverse=True))})"
    rf"(?!{_LETTER})"
)


def municipality_in_address(address: str) -> str | None:
    """The OKATO code of the first of the region's municipalities the address names, or None."""
    found = _IN_ADDRESS.search(_key(address))
    return _BY_NAME[found.group(0)] if found else None


def municipality_named(value: str) -> str | None:
    """An operator's municipality: an OKATO code, a name, or a title as the bot shows it. None if unknown."""
    key = _key(value)
    if key in BY_CODE:
        return key
    return _BY_NAME.get(key) or _BY_TITLE.get(key) or _BY_NAME.get(key.removesuffix(" район").strip())
