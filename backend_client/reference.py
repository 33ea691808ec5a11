"""Reference data of the Samara region: its 10 city districts and 27 municipal districts.

Codes are OKATO prefixes (check against the current ОКТМО before a production import).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MunicipalityKind(StrEnum):
    CITY = "city"  # городской округ
    DISTRICT = "district"  # муниципальный район


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name: str
    kind: MunicipalityKind

    @property
    def title(self) -> str:
        if self.kind is MunicipalityKind.CITY:
            return f"г. о. {self.name}"
        return f"{self.name} район"


_CITIES = (
    ("36401", "Самара"),
    ("36440", "Тольятти"),
    ("36435", "Сызрань"),
    ("36413", "Новокуйбышевск"),
    ("36450", "Чапаевск"),
    ("36404", "Жигулёвск"),
    ("36424", "Отрадный"),
    ("36408", "Кинель"),
    ("36427", "Похвистнево"),
    ("36418", "Октябрьск"),
)
_DISTRICTS = (
    ("36202", "Алексеевский"),
    ("36204", "Безенчукский"),
    ("36206", "Богатовский"),
    ("36208", "Большеглушицкий"),
    ("36210", "Большечерниговский"),
    ("36212", "Борский"),
    ("36214", "Волжский"),
    ("36215", "Елховский"),
    ("36216", "Исаклинский"),
    ("36217", "Камышлинский"),
    ("36218", "Кинельский"),
    ("36220", "Кинель-Черкасский"),
    ("36222", "Клявлинский"),
    ("36224", "Кошкинский"),
    ("36226", "Красноармейский"),
    ("36228", "Красноярский"),
    ("36230", "Нефтегорский"),
    ("36232", "Пестравский"),
    ("36234", "Похвистневский"),
    ("36236", "Приволжский"),
    ("36238", "Сергиевский"),
    ("36240", "Ставропольский"),
    ("36242", "Сызранский"),
    ("36244", "Хворостянский"),
    ("36246", "Челно-Вершинский"),
    ("36248", "Шенталинский"),
    ("36250", "Шигонский"),
)

MUNICIPALITIES: tuple[Municipality, ...] = tuple(
    Municipality(code, name, MunicipalityKind.CITY) for code, name in _CITIES
) + tuple(Municipality(code, name, MunicipalityKind.DISTRICT) for code, name in _DISTRICTS)

BY_CODE: dict[str, Municipality] = {m.code: m for m in MUNICIPALITIES}

# Places people name instead of their municipal district: the district's administrative centre, which is
# not a municipality of its own (a district whose centre is one of the cities above is not listed: that
# city is its own municipality). «Кинель-Черкассы» is the Кинель-Черкасский district, never the city Кинель.
PLACES: dict[str, str] = {
    "Алексеевка": "36202",
    "Безенчук": "36204",
    "Богатое": "36206",
    "Большая Глушица": "36208",
    "Большая Черниговка": "36210",
    "Борское": "36212",
    "Елховка": "36215",
    "Исаклы": "36216",
    "Камышла": "36217",
    "Кинель-Черкассы": "36220",
    "Клявлино": "36222",
    "Кошки": "36224",
    "Красноармейское": "36226",
    "Красный Яр": "36228",
    "Нефтегорск": "36230",
    "Пестравка": "36232",
    "Приволжье": "36236",
    "Сергиевск": "36238",
    "Хворостянка": "36244",
    "Челно-Вершины": "36246",
    "Шентала": "36248",
    "Шигоны": "36250",
}


def municipality(code: str) -> Municipality | None:
    return BY_CODE.get(code)
