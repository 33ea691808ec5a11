"""Every text the code asks for exists, renders, and the consent text cannot change without a new version."""

from __future__ import annotations

import hashlib
import re
import string
from pathlib import Path

import pytest

from backend_client import errors
from backend_client.models import ConsentKind, ContactTime, GivenBy, InvitePurpose, Role
from dialogs.context import ConsentTerms
from dialogs.flows.mydata import ERASE_REASONS
from dialogs.flows.profile_fields import FIELDS
from dialogs.texts import catalog, t

ROOT = Path(__file__).resolve().parents[2]
LITERAL_KEY = re.compile(r"""\bt\(\s*"([a-z_.]+)"\s*[,)]""")

# The consent texts a person agrees to. Changing them needs a new ConsentTerms.version and new hashes here.
CONSENT_TEXT_HASHES = {
    "2026-11": {
        "consent.request": "d8e75507fef70299",
        "family.decide.consent": "b41ba61289c29640",
        "family.decide.confirm": "51dc13bf507858b8",
    },
    "2026-11.2": {  # adds career-test answers and results, notification settings
        "consent.request": "5b00731d39cdea99",
        "family.decide.consent": "c42d942e10e4a4d3",
        "family.decide.confirm": "51dc13bf507858b8",
    },
    "2026-11.3": {  # adds sign-ups to «профтуры» and «профпробы»
        "consent.request": "0a43dff3d35cf20a",
        "family.decide.consent": "c6ac718696e822bb",
        "family.decide.confirm": "51dc13bf507858b8",
    },
    "2026-11.4": {  # adds applications to vacancies and favourites (a child under 14 makes neither)
        "consent.request": "9ae7ec9d8250cfbb",
        "family.decide.consent": "c6ac718696e822bb",
        "family.decide.confirm": "51dc13bf507858b8",
    },
    "2026-12": {  # adds saved searches, the graduates' questionnaire, the centre's bookings, the plan and
        # graduation date, outcome answers, tickets to the centre (a child under 14 can write tickets only)
        "consent.request": "acbbc34c55c3cc91",
        "family.decide.consent": "372dea66348bc876",
        "family.decide.confirm": "51dc13bf507858b8",
    },
}


def _keys_in_code() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "dialogs").rglob("*.py"):
        found.update(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_literal_key_exists():
    missing = _keys_in_code() - catalog().keys()
    assert not missing


def _families() -> list[str]:
    keys = [f"role.{r.value}" for r in Role] + [f"valid.age_range.{r.value}" for r in Role]
    for purpose in InvitePurpose:
        keys += [f"{p}.{purpose.value}" for p in ("family.decide", "btn.accept", "btn.reject")]
        keys += [f"family.accepted.{purpose.value}", f"family.rejected.{purpose.value}"]
    keys += [f"mydata.consent_line.{k.value}" for k in ConsentKind]
    keys += [f"mydata.given_by.{g.value}" for g in GivenBy]
    keys += [f"profile.contact.{c.value}" for c in ContactTime]
    keys += [f"profile.ask.{f}" for f in FIELDS] + [f"profile.label.{f}.default" for f in FIELDS]
    keys += [f"mydata.confirm.{r}" for r in ERASE_REASONS] + [f"mydata.erased.{r}" for r in ERASE_REASONS]
    codes = {cls.code for cls in vars(errors).values() if isinstance(cls, type) and hasattr(cls, "code")}
    keys += [f"family.error.{code}" for code in codes]
    return keys


@pytest.mark.parametrize("key", _families())
def test_every_composed_key_exists(key):
    assert key in catalog()


@pytest.mark.parametrize("key", sorted(catalog().keys()))
def test_every_text_renders_with_its_placeholders(key):
    fields = {name for _, name, _, _ in string.Formatter().parse(catalog().raw(key)) if name}
    rendered = t(key, **dict.fromkeys(fields, "X"))
    assert rendered.strip()
    assert len(rendered) <= 4096  # one Telegram message


def test_consent_texts_match_their_version():
    version = ConsentTerms().version
    assert version in CONSENT_TEXT_HASHES, "a new consent version needs its text hashes pinned here"
    for key, pinned in CONSENT_TEXT_HASHES[version].items():
        digest = hashlib.sha256(catalog().raw(key).encode("utf-8")).hexdigest()[:16]
        assert digest == pinned, f"{key} changed: bump ConsentTerms.version and pin the new hash"
