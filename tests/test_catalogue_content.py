"""The shipped catalogue: contract ids, sources, agreement with the reference facts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

CONTRACT_IDS = """
un.udhr un.iccpr un.iccpr-op1 un.iccpr-op2 un.icescr un.cat un.opcat un.cedaw un.crc un.cerd
un.crpd un.refugee-convention un.refugee-protocol unhcr.gip-12 un.mandela-rules un.bangkok-rules
ilo.c087 ilo.c098 ccpr.gc-34 kz.constitution kz.criminal-code kz.criminal-procedure-code
kz.administrative-offences-code kz.labour-code kz.law.refugees kz.law.political-parties
kz.law.public-associations kz.law.mass-media kz.law.peaceful-assemblies kz.law.online-platforms
""".split()

ISSUE_IDS = """
kz.law.culture kz.law.rights-of-the-child ccpr.gc-20 ccpr.gc-35 ccpr.gc-36 ccpr.gc-37 un.upr
""".split()

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "kz-status.yaml"


@pytest.mark.parametrize("ident", CONTRACT_IDS + ISSUE_IDS)
def test_every_required_instrument_exists(catalogue, ident: str) -> None:
    assert ident in catalogue.instruments


def test_every_entry_has_an_official_source(catalogue) -> None:
    for inst in catalogue:
        assert inst.source_url.startswith("https://") or inst.source_url.startswith("http://")


def test_treaties_list_their_articles(catalogue) -> None:
    expected = {"un.iccpr": 53, "un.icescr": 31, "un.cat": 33}
    for ident, count in expected.items():
        if ident in catalogue.instruments:
            arts = [p for p in catalogue.instrument(ident).provisions if "__" not in p.eid
                    and p.eid.startswith("art_")]
            assert len(arts) == count, ident


def test_upr_is_a_mechanism(catalogue) -> None:
    if "un.upr" in catalogue.instruments:
        assert catalogue.instrument("un.upr").kind == "mechanism"
        assert catalogue.binding_on("un.upr", dt.date(2025, 1, 1)) is False


def test_catalogue_version_is_date_based(catalogue) -> None:
    dt.datetime.strptime(catalogue.version, "%Y.%m.%d")


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@pytest.mark.skipif(not REFERENCE.exists(), reason="no ../shared/reference/kz-status.yaml")
def test_agrees_with_reference_facts(catalogue) -> None:
    facts = yaml.safe_load(REFERENCE.read_text(encoding="utf-8")) or {}
    if isinstance(facts, dict) and "instruments" in facts:
        facts = facts["instruments"]
    if isinstance(facts, list):
        facts = {f["id"]: f for f in facts}
    disagreements = []
    for ident, fact in facts.items():
        inst = catalogue.instruments.get(ident)
        if inst is None:
            disagreements.append(f"{ident}: missing from the catalogue")
            continue
        status = inst.kz_status
        for key, ours in (
            ("kz_action", status.action if status else None),
            ("kz_action_date", status.date if status else None),
            ("in_force_for_kz", status.in_force_for_kz if status else None),
        ):
            if key not in fact or fact[key] is None:
                continue
            theirs = fact[key] if key == "kz_action" else _as_date(fact[key])
            if ours != theirs:
                disagreements.append(f"{ident}: {key} is {ours!r}, reference says {theirs!r}")
    assert not disagreements, "\n".join(disagreements)
