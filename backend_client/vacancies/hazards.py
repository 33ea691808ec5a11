"""What a vacancy's own words reveal that ТК РФ forbids to anyone under 18.

ст. 268: no night work (22:00–06:00, ст. 96), overtime, work on weekends and holidays, business trips;
ст. 298: no rotation («вахта», counted here as travel); ст. 265: no harmful, dangerous or underground work,
no carrying loads above the limits, nothing harmful to moral development (gambling, night clubs,
producing, carrying or selling alcohol and tobacco, erotic materials).

``detect_hazards`` reads Russian word stems in the title, duties, requirements and schedule texts, and
clock ranges such as «с 18:00 до 02:00». A mention that is plainly negated does not count:

- a negation word just before it: «без ночных смен», «нет командировок», «никаких переработок»,
  «кроме ночных» (up to four words back, never across a comma or a sentence); a bare «не» only right
  before the stem («не ночные») or before a verb of working or requiring («не работаем в выходные»), so
  «не менее двух ночных смен» still counts;
- a denial right after it: «ночные смены не предусмотрены», «командировки отсутствуют», «… — нет».

Limits, on purpose on the safe side (a false alarm hides a vacancy from minors; a miss would show an
illegal one): a list after one «без» is negated only up to a comma («без командировок, переработок»
flags the overtime; «без ночных смен и переработок» flags nothing); irony, typos and paraphrases
(«работа до последнего клиента») are not understood; «в выходные отдыхаете» flags weekends. The word lists
are a screen, not legal advice: the catalogue's own fields (schedule, min_age) and the operator stay
responsible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from backend_client.vacancies.models import Hazard

_W = r"[а-яa-z0-9-]*"  # the rest of a word (texts are lower-cased, «ё» read as «е»)

_STEMS: dict[Hazard, tuple[str, ...]] = {
    Hazard.NIGHT: (
        rf"ночн{_W}",
        r"ночью",
        r"в ночь",
        r"по ночам",
        rf"круглосуточн{_W}",  # round-the-clock work has night hours
        r"сутки через",  # «сутки через двое/трое»: 24-hour shifts
        r"сутки/(?:двое|трое|\d)",
        r"24/7",
    ),
    Hazard.OVERTIME: (
        rf"сверхурочн{_W}",
        # «переработка» is also processing («переработка нефти»): only the overtime senses
        r"переработок",
        rf"переработк{_W} (?:оплачива|возможн|бывают|случаются|по необходимости|редк|част){_W}",
        rf"(?:возможн{_W}|бывают|случаются|частые|редкие|оплачиваем{_W}|оплата) переработ{_W}",
        rf"ненормированн{_W}",
        r"сверх нормы",
        rf"задержк{_W} после работы",
    ),
    Hazard.WEEKENDS: (
        rf"(?:в|по) выходн{_W}",
        rf"без выходн{_W}",
        rf"в праздничн{_W}",
        rf"праздничн{_W} дн{_W}",
        rf"(?:в|по) (?:суббот|воскресень){_W}",
    ),
    Hazard.TRAVEL: (
        rf"командировк{_W}",
        rf"командировочн{_W}",
        rf"разъездн{_W}",
        r"в разъездах",
        rf"вахт{_W}",  # ст. 298: no rotation work under 18
    ),
    Hazard.HARMFUL: (
        rf"вредн{_W} (?:услови|производств|фактор|веществ|класс){_W}",
        r"вредность",
        rf"опасн{_W} (?:услови|производств|работ|груз|веществ|фактор){_W}",
        r"класс(?:ом)? условий труда 3",
        rf"подземн{_W}",
        rf"шахт{_W}",
        rf"рудник{_W}",
        rf"тяжел{_W} (?:физическ{_W} )?(?:труд|работ|нагрузк){_W}",
        rf"(?:подъем|поднятие|переноск{_W}|перенос) тяжест{_W}",
        rf"груз{_W} (?:до|от|свыше) \d+ ?кг",
        rf"грузчик{_W}",
        rf"работ{_W} на высоте",
        rf"высотн{_W}",
        rf"промышленн{_W} альпинист{_W}",
        rf"сварщик{_W}",
        rf"(?:электро|газо)?сварочн{_W}",
        rf"газорез{_W}",
        rf"взрыв{_W}",
        rf"радиоактив{_W}",
        rf"ядохимикат{_W}",
        rf"пестицид{_W}",
        rf"асбест{_W}",
        rf"литейн{_W}",
        rf"кузнечн{_W}",
    ),
    Hazard.ALCOHOL_TOBACCO: (
        rf"алкогол{_W}",
        rf"спиртн{_W}",
        rf"пив(?:о|а|ом|н{_W}|овар{_W}|ной)",
        rf"винн{_W}",
        r"вин(?:о|а|ом)",
        rf"винодел{_W}",
        rf"водк{_W}",
        rf"ликеро{_W}",
        rf"коньяк{_W}",
        rf"табак{_W}",
        rf"табачн{_W}",
        rf"сигарет{_W}",
        rf"кальян{_W}",
        rf"вейп{_W}",
        rf"никотин{_W}",
        rf"бармен{_W}",
        r"бар",
        r"сомелье",
        rf"рюмочн{_W}",
        r"паб",
    ),
    Hazard.GAMBLING_NIGHTLIFE: (
        r"казино",
        rf"букмекер{_W}",
        rf"азартн{_W}",
        rf"игорн{_W}",
        rf"тотализатор{_W}",
        rf"ставк{_W} на спорт",
        rf"ночн{_W} клуб{_W}",
        rf"стриптиз{_W}",
        rf"эрот{_W}",
        r"кабаре",
        r"go-go|гоу-гоу",
    ),
}

# Word edges that treat hyphenated words as one («безалкогольный» is never «алкоголь»).
_PATTERNS: tuple[tuple[Hazard, re.Pattern[str]], ...] = tuple(
    (hazard, re.compile(rf"(?<![а-яa-z0-9])(?:{'|'.join(stems)})(?![а-яa-z0-9])"))
    for hazard, stems in _STEMS.items()
)

_NEGATORS = frozenset({"без", "нет", "никаких", "кроме", "исключая", "исключены", "исключено", "отсутствуют"})
_CLAUSE_END = re.compile(r"[.;:!?()\[\]\n,]|\s(?:но|а)\s")
_DENIAL_AFTER = re.compile(
    r"^[\s—–-]*(?:[а-я]+[\s—–-]+){0,2}?"
    r"(?:нет|отсутству[а-я]*|исключен[а-я]*|не (?:предусмотрен|требу|бывает|будет|планиру|допуска)[а-я]*)"
    r"(?![а-я])"
)
# «не работаем в выходные», «не привлекаем к работе по ночам»; never «не менее», «не реже»
_DENIED_VERBS = ("работа", "привлека", "бывает", "бывают", "требу", "нужн", "предусм", "планиру", "допуска")
_NEGATION_REACH = 4  # words back: «без ночных смен и переработок»
_WORD = re.compile(r"[а-яa-z0-9-]+")
_CLOCK_RANGE = re.compile(
    r"(?<![\d.,])(\d{1,2})[:.](\d{2})(?![\d.,]\d)\s*(?:-|–|—|до)\s*(\d{1,2})[:.](\d{2})(?![\d.,]?\d)"
)
NIGHT_STARTS, NIGHT_ENDS = 22 * 60, 6 * 60  # ТК РФ ст. 96, minutes after midnight


def normalise(text: str) -> str:
    return text.lower().replace("ё", "е")


def detect_hazards(texts: Iterable[str]) -> frozenset[Hazard]:
    """Every hazard some text mentions without negating it."""
    found: set[Hazard] = set()
    for raw in texts:
        text = normalise(raw)
        if not text.strip():
            continue
        for hazard, pattern in _PATTERNS:
            if hazard not in found and _stated(text, pattern):
                found.add(hazard)
        if Hazard.NIGHT not in found and _night_hours(text):
            found.add(Hazard.NIGHT)
    return frozenset(found)


def _stated(text: str, pattern: re.Pattern[str]) -> bool:
    """Some mention of the pattern is not negated."""
    return any(
        not (_negated_before(text, match.start()) or _denied_after(text, match.end()))
        for match in pattern.finditer(text)
    )


def _negated_before(text: str, start: int) -> bool:
    before = text[max(0, start - 80) : start]
    clause = _CLAUSE_END.split(before)[-1]
    words = _WORD.findall(clause)[-_NEGATION_REACH:]
    if words and words[-1] == "не":
        return True
    denied_verb = any(
        word == "не" and following.startswith(_DENIED_VERBS) for word, following in pairwise(words)
    )
    return denied_verb or any(word in _NEGATORS for word in words)


def _denied_after(text: str, end: int) -> bool:
    after = _CLAUSE_END.split(text[end : end + 60])[0]
    return _DENIAL_AFTER.match(after) is not None


def _night_hours(text: str) -> bool:
    """A stated working time that reaches into 22:00–06:00 («с 18:00 до 02:00», «08.00-23.00»)."""
    for match in _CLOCK_RANGE.finditer(text):
        start_h, start_m, end_h, end_m = (int(group) for group in match.groups())
        if start_h > 24 or end_h > 24 or start_m > 59 or end_m > 59:
            continue  # not a time of day
        if _negated_before(text, match.start()):
            continue
        start, end = start_h * 60 + start_m, end_h * 60 + end_m
        if end <= start or start < NIGHT_ENDS or end > NIGHT_STARTS:
            return True
    return False
