"""How career-test questions, results, comparisons and summaries read: text only, no storage, no state."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from backend_client.models import CareerAttempt
from dialogs.career.catalogue import matches
from dialogs.career.in_demand import DemandList
from dialogs.career.instruments import Instrument
from dialogs.career.scoring import Profile, Verdict, profile, reasons, rushed
from dialogs.texts import t

BAR_CELLS = 10


def bar(value: int, maximum: int, cells: int = BAR_CELLS) -> str:
    filled = round(cells * max(0, value) / maximum) if maximum > 0 else 0
    return "▰" * filled + "▱" * (cells - filled)


def question_text(instrument: Instrument, index: int) -> str:
    progress = t(
        "career.progress", number=index + 1, count=instrument.count, bar=bar(index, instrument.count)
    )
    return f"{progress}\n\n{instrument.prompt(index)}"


def date_of(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d.%m.%Y") if moment else ""


def stored_profile(instrument: Instrument, attempt: CareerAttempt) -> Profile | None:
    """The profile behind a stored result, or None when the instrument's scales changed since."""
    if set(attempt.scores) != {s.id for s in instrument.scales}:
        return None
    return profile(instrument, attempt.scores)


def too_fast(instrument: Instrument, attempt: CareerAttempt) -> bool:
    return rushed(instrument, attempt.started_at, attempt.finished_at)


def typed(instrument: Instrument, attempt: CareerAttempt, found: Profile) -> bool:
    """Whether the result names a type: not flat or empty, and not answered faster than reading allows."""
    return found.typed and not too_fast(instrument, attempt)


def result_texts(
    instrument: Instrument,
    attempt: CareerAttempt,
    demand: DemandList,
    zone: ZoneInfo,
    *,
    profile_full: bool = False,
) -> list[str]:
    """The result in two messages: what stands out and why; then professions, paths and the disclaimer."""
    title = t("career.result_title", title=instrument.title, date=date_of(attempt.finished_at, zone))
    found = stored_profile(instrument, attempt)
    if found is None:
        return [f"{title}\n\n{t('career.old_version', code=attempt.code or '—')}\n\n{t('career.disclaimer')}"]
    letters = instrument.result.code_letters
    named = typed(instrument, attempt, found)
    leaders = found.leaders(2) if named else ()
    parts = [title]
    if too_fast(instrument, attempt):
        parts.append(t("career.rushed"))
    verdict = Verdict(found.verdict)
    honest = {
        Verdict.FLAT: instrument.texts.flat,
        Verdict.LOW: instrument.texts.low,
        Verdict.INCONSISTENT: instrument.texts.inconsistent,
    }.get(verdict)
    if honest:
        parts.append(honest)
    if leaders:
        parts.append(t("career.leading_one" if len(leaders) == 1 else "career.leading_two"))
        same_version = attempt.version == instrument.version
        for place, scale_id in enumerate(leaders, 1):
            scale = instrument.scale(scale_id)
            line = t(
                "career.scale_line",
                place=place,
                name=scale.name,
                score=found.scores[scale_id],
                max=instrument.max_score(scale_id),
                about=scale.about,
            )
            why = reasons(instrument, attempt.answers, scale_id) if same_version else []
            if why:
                line += "\n" + t(f"career.why.{instrument.kind}", answers="», «".join(why).join("«»"))
            elif same_version:
                line += "\n" + t("career.why_none")
            parts.append(line)
    if instrument.result.circle is not None and found.code and named:
        details = [t("career.code", code=found.code), _differentiation(instrument, found)]
        if found.consistency is not None and verdict is not Verdict.INCONSISTENT:
            details.append(t(f"career.consistency.{found.consistency.value}"))
        parts.append("\n".join(details))
    parts.append(t("career.all_scores") + "\n" + scores_block(instrument, found))
    professions = professions_text(instrument, found, letters, demand, named=named, profile_full=profile_full)
    return ["\n\n".join(parts), professions]


def _differentiation(instrument: Instrument, found: Profile) -> str:
    top = max(instrument.max_score(s.id) for s in instrument.scales)
    share = found.differentiation / top if top else 0
    level = "strong" if share >= 0.5 else "moderate" if share >= 0.25 else "weak"
    return t(f"career.differentiation.{level}", value=found.differentiation)


def scores_block(instrument: Instrument, found: Profile) -> str:
    return "\n".join(
        t(
            "career.score_bar",
            letter=instrument.scale(s).letter,
            bar=bar(found.scores[s], instrument.max_score(s)),
            score=found.scores[s],
            max=instrument.max_score(s),
            name=instrument.scale(s).name,
        )
        for s in found.ranked
    )


def professions_text(
    instrument: Instrument,
    found: Profile,
    letters: int,
    demand: DemandList,
    *,
    named: bool = True,
    profile_full: bool = False,
) -> str:
    if not named:  # no type: any list of professions would be a guess dressed as advice
        return f"{t('career.no_type_professions')}\n\n{t('career.disclaimer')}"
    leaders = found.leaders(letters)
    found_matches = matches(instrument.id, leaders, letters, demand.ids) if leaders else []
    if not found_matches:
        return f"{t('career.no_professions')}\n\n{t('career.disclaimer')}"
    lines = [
        t(
            "career.profession_line",
            title=m.profession.title,
            demand=t("career.in_demand_mark") if m.in_demand else "",
            path=m.profession.path,
        )
        for m in found_matches
    ]
    note = (
        t("career.demand_note_example")
        if demand.illustrative
        else t("career.demand_note", source=demand.source)
    )
    blocks = [t("career.professions") + "\n" + "\n".join(lines)]
    if any(m.in_demand for m in found_matches):
        blocks.append(note)
    blocks += [t("career.next_steps_full" if profile_full else "career.next_steps"), t("career.disclaimer")]
    return "\n\n".join(blocks)


def matched_ids(instrument: Instrument, attempt: CareerAttempt, demand: DemandList) -> list[str]:
    """The ids of the professions the result lists (none for a result with no type)."""
    found = stored_profile(instrument, attempt)
    if found is None or not typed(instrument, attempt, found):
        return []
    letters = instrument.result.code_letters
    leaders = found.leaders(letters)
    return [m.profession.id for m in matches(instrument.id, leaders, letters, demand.ids)] if leaders else []


def leaders_names(instrument: Instrument, attempt: CareerAttempt) -> str:
    """A one-line summary (for history and parents): the one or two leading scales, or the code."""
    found = stored_profile(instrument, attempt)
    if found is None:
        return attempt.code or "—"
    if too_fast(instrument, attempt):
        return t("career.rushed_summary")
    names = [instrument.scale(s).name for s in found.leaders(2)]
    if not names:
        return t("career.flat_summary")
    return ", ".join(names)


def compare_text(instrument: Instrument, before: CareerAttempt, after: CareerAttempt, zone: ZoneInfo) -> str:
    old, new = stored_profile(instrument, before), stored_profile(instrument, after)
    title = t(
        "career.compare_title",
        title=instrument.title,
        before=date_of(before.finished_at, zone),
        after=date_of(after.finished_at, zone),
    )
    if old is None or new is None:
        return f"{title}\n\n{t('career.compare_code', before=before.code or '—', after=after.code or '—')}"
    lines = [
        t(
            "career.compare_line",
            letter=instrument.scale(s).letter,
            name=instrument.scale(s).name,
            before=old.scores[s],
            after=new.scores[s],
            delta=f"{new.scores[s] - old.scores[s]:+d}",
        )
        for s in new.ranked
    ]
    if not (typed(instrument, before, old) and typed(instrument, after, new)):
        verdict = t("career.compare_no_type")  # a type that was never there cannot have changed
    else:
        verdict = t("career.compare_same" if old.leading == new.leading else "career.compare_changed")
    before_code = old.code if typed(instrument, before, old) else ""
    after_code = new.code if typed(instrument, after, new) else ""
    code = t("career.compare_code", before=before_code or "—", after=after_code or "—")
    return "\n\n".join([title, "\n".join(lines), code, verdict])
