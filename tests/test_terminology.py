"""One term per concept in the zh edition, checked against ``locales/zh_CN/terminology.yml``.

The terminology list gives every glossary concept (``book/glossary.md``) its ONE preferred Chinese
term and the variants that the training literature uses (框定效应 / 框架效应, 乔哈里视窗 / 约哈里之窗,
客户投诉 / 客诉, ...). The variants belong in the glossary only (as "也称……", so that search finds them);
everywhere else the zh edition uses the preferred term. This module fails when

(a) a variant appears in a msgstr of any book or workbook catalog other than ``book/glossary.po``
    (it names the catalog, the msgid and the variant);
(b) a glossary concept (or one of its term lines) has no entry in the list, an entry names no glossary
    concept, the glossary translation of a term line does not contain its preferred term, or the glossary
    definition does not mention the preferred term and every variant;
(c) the list itself is malformed (duplicate English term, empty or duplicate preferred term, a variant
    that is a preferred term or part of one, which would give false matches).

Fast: it reads the YAML, the Markdown source of the glossary and the .po files; no book build. The checks
are plain functions, exercised on synthetic catalogs at the end, so each one is shown to fail.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
TERMINOLOGY = ROOT / "locales" / "zh_CN" / "terminology.yml"
CATALOGS = ROOT / "locales" / "zh_CN" / "LC_MESSAGES"
GLOSSARY_PO = Path("book") / "glossary.po"  # relative to CATALOGS
GLOSSARY_MD = ROOT / "book" / "glossary.md"


# ----------------------------------------------------------------------------------------------------
# The terminology list
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Concept:
    en: str
    zh: str
    variants: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...] = ()  # (English term line, its zh)
    allow: tuple[str, ...] = ()

    def term_lines(self) -> dict[str, str]:
        """English term line -> the zh that its glossary translation must contain."""
        return {self.en: self.zh, **dict(self.aliases)}


def _norm(text: str) -> str:
    """What matching compares: case-folded, without any whitespace ("7-38-55 定律" == "7-38-55定律")."""
    return re.sub(r"\s+", "", text).casefold()


def _str_list(value: object, where: str, errors: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        errors.append(f"{where}: must be a list of non-empty strings, got {value!r}")
        return ()
    return tuple(v.strip() for v in value)


def parse_terminology(data: object) -> tuple[list[Concept], list[str]]:
    """The concepts of a loaded terminology list, and every problem found in it (check (c))."""
    errors: list[str] = []
    concepts: list[Concept] = []
    if not isinstance(data, list) or not data:
        return [], [f"terminology: must be a non-empty YAML list of entries, got {type(data).__name__}"]
    for number, entry in enumerate(data, 1):
        where = f"entry {number}"
        if not isinstance(entry, dict):
            errors.append(f"{where}: must be a mapping with en, zh, variants, got {entry!r}")
            continue
        unknown = set(entry) - {"en", "zh", "variants", "aliases", "allow"}
        if unknown:
            errors.append(f"{where}: unknown keys {sorted(unknown)}")
        en, zh = entry.get("en"), entry.get("zh")
        if not isinstance(en, str) or not en.strip():
            errors.append(f"{where}: empty or missing en")
            continue
        where = f"entry {number} ({en})"
        if not isinstance(zh, str) or not zh.strip():
            errors.append(f"{where}: empty or missing zh")
            continue
        if "variants" not in entry:
            errors.append(f"{where}: missing variants (write variants: [] when there are none)")
        variants = _str_list(entry.get("variants"), f"{where} variants", errors)
        allow = _str_list(entry.get("allow"), f"{where} allow", errors)
        aliases: list[tuple[str, str]] = []
        raw_aliases = entry.get("aliases") or []
        if not isinstance(raw_aliases, list):
            errors.append(f"{where}: aliases must be a list")
            raw_aliases = []
        for alias in raw_aliases:
            if not isinstance(alias, dict) or not isinstance(alias.get("en"), str) or not alias["en"].strip():
                errors.append(f"{where}: alias without en: {alias!r}")
                continue
            alias_zh = alias.get("zh", zh)
            if not isinstance(alias_zh, str) or not alias_zh.strip():
                errors.append(f"{where}: alias {alias['en']!r} has an empty zh")
                continue
            aliases.append((alias["en"].strip(), alias_zh.strip()))
        concepts.append(Concept(en.strip(), zh.strip(), variants, tuple(aliases), allow))

    seen_en: dict[str, str] = {}
    for concept in concepts:
        for line in concept.term_lines():
            key = line.casefold()
            if key in seen_en:
                errors.append(f"duplicate English term {line!r} (in {seen_en[key]!r} and {concept.en!r})")
            seen_en[key] = concept.en
    preferred: dict[str, str] = {}
    for concept in concepts:
        if _norm(concept.zh) in preferred:
            errors.append(f"preferred term {concept.zh!r} of {concept.en!r} is also the term of "
                          f"{preferred[_norm(concept.zh)]!r}: one term per concept")
        preferred[_norm(concept.zh)] = concept.en
    all_preferred = {_norm(zh) for c in concepts for zh in c.term_lines().values()}
    seen_variant: dict[str, str] = {}
    for concept in concepts:
        for variant in concept.variants:
            key = _norm(variant)
            if key in all_preferred:
                errors.append(f"{concept.en}: variant {variant!r} is a preferred term")
            elif any(key in term for term in all_preferred):
                inside = sorted(t for t in all_preferred if key in t)
                errors.append(f"{concept.en}: variant {variant!r} is part of the preferred term(s) {inside}: "
                              "it would match there")
            if key in seen_variant and seen_variant[key] != concept.en:
                errors.append(f"variant {variant!r} listed for {seen_variant[key]!r} and {concept.en!r}")
            seen_variant[key] = concept.en
            if len(set(concept.variants)) != len(concept.variants):
                errors.append(f"{concept.en}: a variant is listed twice")
                break
    return concepts, errors


def load_terminology(path: Path = TERMINOLOGY) -> tuple[list[Concept], list[str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:  # pragma: no cover - reported as a failure
        return [], [f"{path}: not valid YAML: {error}"]
    return parse_terminology(data)


# ----------------------------------------------------------------------------------------------------
# (a) variants outside the glossary
# ----------------------------------------------------------------------------------------------------


def _spans(text: str, needle: str) -> Iterable[tuple[int, int]]:
    start = text.find(needle)
    while start != -1:
        yield start, start + len(needle)
        start = text.find(needle, start + 1)


def variants_in(text: str, concepts: list[Concept]) -> list[tuple[Concept, str]]:
    """The (concept, variant) pairs used in ``text``.

    An occurrence inside a longer preferred term (of any concept) or inside one of the concept's
    ``allow`` words is not a use of the variant.
    """
    norm = _norm(text)
    protectors = {_norm(zh) for c in concepts for zh in c.term_lines().values()}
    found: list[tuple[Concept, str]] = []
    for concept in concepts:
        covers = protectors | {_norm(word) for word in concept.allow}
        covering = [span for word in covers for span in _spans(norm, word)]
        for variant in concept.variants:
            key = _norm(variant)
            for start, end in _spans(norm, key):
                if not any(s <= start and end <= e and e - s > end - start for s, e in covering):
                    found.append((concept, variant))
                    break
    return found


def _msgstrs(message) -> list[str]:
    if isinstance(message.string, str):
        return [message.string]
    return [s for s in (message.string or ()) if s]


def _msgid(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def variant_uses(catalogs: Mapping[str, Catalog], concepts: list[Concept]) -> list[str]:
    """Check (a): every variant used in a msgstr of a catalog other than the glossary's."""
    problems = []
    for name, catalog in sorted(catalogs.items()):
        if Path(name) == GLOSSARY_PO:
            continue
        for message in catalog:
            if not message.id:
                continue
            for string in _msgstrs(message):
                for concept, variant in variants_in(string, concepts):
                    msgid = _msgid(message)
                    short = msgid if len(msgid) <= 90 else msgid[:87] + "..."
                    problems.append(f"{name}: msgid {short!r}: variant {variant!r} of {concept.en!r}; "
                                    f"use the preferred term {concept.zh!r}")
    return problems


# ----------------------------------------------------------------------------------------------------
# (b) the glossary: every concept listed, its preferred term (and the variants) in its translation
# ----------------------------------------------------------------------------------------------------


@dataclass
class GlossaryEntry:
    terms: list[str]
    paragraphs: list[str] = field(default_factory=list)


def glossary_entries(markdown: str) -> list[GlossaryEntry]:
    """The entries of the ``{glossary}`` directive: term lines and definition paragraphs."""
    match = re.search(r"^```\{glossary\}[^\n]*\n(.*?)^```", markdown, re.S | re.M)
    assert match, "no {glossary} directive found"
    entries: list[GlossaryEntry] = []
    lines: list[str] = []
    in_terms = False
    for line in match.group(1).splitlines():
        if line.startswith(":") and not entries:  # directive options (:sorted:)
            continue
        if not line.strip():
            in_terms = False
            if lines:
                entries[-1].paragraphs.append(" ".join(lines))
                lines = []
            continue
        if not line[0].isspace():
            if in_terms:
                entries[-1].terms.append(line.strip())
            else:
                entries.append(GlossaryEntry([line.strip()]))
            in_terms = True
        else:
            in_terms = False
            lines.append(line.strip())
    if lines:
        entries[-1].paragraphs.append(" ".join(lines))
    return entries


def _ws(text: str) -> str:
    return " ".join(text.split())


def glossary_problems(entries: list[GlossaryEntry], catalog: Catalog, concepts: list[Concept]) -> list[str]:
    """Check (b) against the glossary's catalog."""
    problems: list[str] = []
    by_line = {line.casefold(): c for c in concepts for line in c.term_lines()}
    by_en = {c.en.casefold(): c for c in concepts}
    translations: dict[str, str] = {}
    for message in catalog:
        if message.id:
            strings = _msgstrs(message)
            translations[_ws(_msgid(message))] = strings[0] if strings else ""
    glossary_lines = set()
    for entry in entries:
        first = entry.terms[0]
        glossary_lines.update(t.casefold() for t in entry.terms)
        concept = by_en.get(first.casefold())
        if concept is None:
            problems.append(f"glossary concept {first!r} has no entry (en: {first}) in terminology.yml")
            continue
        for line in entry.terms:
            other = by_line.get(line.casefold())
            if other is not concept:
                problems.append(f"glossary term line {line!r} (of {first!r}) is not an en or alias of "
                                f"the {first!r} entry in terminology.yml")
                continue
            expected = concept.term_lines()[line]
            got = translations.get(_ws(line), "")
            if not got:
                problems.append(f"book/glossary.po: term line {line!r} is not translated")
            elif _norm(expected) not in _norm(got):
                problems.append(f"book/glossary.po: term line {line!r} is translated {got!r}, "
                                f"without its preferred term {expected!r}")
        definition = " ".join(translations.get(_ws(p), "") for p in entry.paragraphs)
        if not definition.strip():
            problems.append(f"book/glossary.po: the definition of {first!r} is not translated")
            continue
        for word in (concept.zh, *concept.variants):
            if _norm(word) not in _norm(definition):
                what = "preferred term" if word == concept.zh else "variant"
                problems.append(f"book/glossary.po: the definition of {first!r} does not mention its "
                                f"{what} {word!r} (search must find it)")
    for concept in concepts:
        for line in concept.term_lines():
            if line.casefold() not in glossary_lines:
                problems.append(f"terminology.yml: {line!r} (of {concept.en!r}) is not a term of book/glossary.md")
    return problems


# ----------------------------------------------------------------------------------------------------
# The real files
# ----------------------------------------------------------------------------------------------------


def _read_po(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def terminology() -> list[Concept]:
    concepts, errors = load_terminology()
    assert not errors, "terminology.yml is malformed:\n" + "\n".join(errors)
    return concepts


@pytest.fixture(scope="module")
def catalogs() -> dict[str, Catalog]:
    paths = sorted(CATALOGS.rglob("*.po"))
    assert paths, f"no catalogs under {CATALOGS}"
    return {path.relative_to(CATALOGS).as_posix(): _read_po(path) for path in paths}


def test_terminology_list_is_well_formed() -> None:
    concepts, errors = load_terminology()
    assert not errors, "terminology.yml is malformed:\n" + "\n".join(errors)
    assert len(concepts) >= 80


def test_every_glossary_concept_has_its_preferred_term(terminology: list[Concept],
                                                        catalogs: dict[str, Catalog]) -> None:
    entries = glossary_entries(GLOSSARY_MD.read_text(encoding="utf-8"))
    problems = glossary_problems(entries, catalogs[GLOSSARY_PO.as_posix()], terminology)
    assert not problems, f"{len(problems)} glossary problem(s):\n" + "\n".join(problems)


def test_one_term_per_concept_outside_the_glossary(terminology: list[Concept],
                                                   catalogs: dict[str, Catalog]) -> None:
    problems = variant_uses(catalogs, terminology)
    assert not problems, (f"{len(problems)} variant(s) used outside the glossary (use the preferred term "
                          "of locales/zh_CN/terminology.yml):\n" + "\n".join(problems))


# ----------------------------------------------------------------------------------------------------
# The checks fail when they should (synthetic data)
# ----------------------------------------------------------------------------------------------------

SAMPLE = [
    {"en": "Framing", "zh": "框定效应", "variants": ["框架效应"], "aliases": [{"en": "Framing effect"}]},
    {"en": "Complaint", "zh": "客户投诉", "variants": ["客诉"], "allow": ["顾客诉求"]},
    {"en": "Complaint handling", "zh": "投诉处理", "variants": ["客诉处理"]},
    {"en": "Mehrabian's rule", "zh": "梅拉比安法则", "variants": ["7-38-55定律"]},
    {"en": "Elbow method", "zh": "肘部法则", "variants": ["手肘法"]},
]

SAMPLE_GLOSSARY = """# Glossary

```{glossary}
:sorted:

Framing
Framing effect
  **框架效应**. Choices that differ with the wording.

Complaint
  **客诉**. Dissatisfaction.

Complaint handling
  **客诉处理**. What the company does.

Mehrabian's rule
  **梅拉比安法则**. Conflicting cues.

Elbow method
  **肘部法则**. Choosing k.

  A second paragraph.
```
"""


def _concepts(data=SAMPLE) -> list[Concept]:
    concepts, errors = parse_terminology(data)
    assert not errors, errors
    return concepts


def _catalog(pairs: dict[str, str]) -> Catalog:
    catalog = Catalog(locale="zh_CN")
    for msgid, msgstr in pairs.items():
        catalog.add(msgid, msgstr)
    return catalog


def test_variant_outside_the_glossary_is_reported_with_file_msgid_and_variant() -> None:
    concepts = _concepts()
    catalogs = {
        "book/glossary.po": _catalog({"Framing": "框定效应（也称框架效应）"}),
        "book/communication.po": _catalog({
            "Framing an offer": "用框架效应包装优惠",
            "The 7-38-55 rule": "所谓 7-38-55 定律",  # whitespace does not hide a variant
            "Fine": "框定效应与梅拉比安法则",
        }),
        "notebooks/complaints_workbook.po": _catalog({"Complaints": "本月客诉 12 件"}),
    }
    problems = variant_uses(catalogs, concepts)
    assert len(problems) == 3, problems
    assert any("book/communication.po" in p and "'Framing an offer'" in p and "'框架效应'" in p for p in problems)
    assert any("'7-38-55定律'" in p for p in problems)
    assert any("notebooks/complaints_workbook.po" in p and "'客诉'" in p for p in problems)
    assert not any("book/glossary.po" in p for p in problems)


def test_a_variant_inside_a_preferred_term_or_an_allowed_word_is_not_reported() -> None:
    concepts = _concepts()
    assert variants_in("请参阅客户投诉和投诉处理。", concepts) == []
    assert variants_in("倾听顾客诉求", concepts) == []
    assert [v for _, v in variants_in("客诉处理要快", concepts)] == ["客诉", "客诉处理"]
    assert [v for _, v in variants_in("顾客诉求很多，客诉也多", concepts)] == ["客诉"]


def test_glossary_check_fails_on_missing_concept_missing_term_and_missing_variant() -> None:
    entries = glossary_entries(SAMPLE_GLOSSARY)
    assert [e.terms for e in entries] == [["Framing", "Framing effect"], ["Complaint"], ["Complaint handling"],
                                          ["Mehrabian's rule"], ["Elbow method"]]
    assert entries[-1].paragraphs == ["**肘部法则**. Choosing k.", "A second paragraph."]
    good = {
        "Framing": "框定效应 (Framing)", "Framing effect": "框定效应 (Framing effect)",
        "**框架效应**. Choices that differ with the wording.": "**框定效应**，也称框架效应。",
        "Complaint": "客户投诉 (Complaint)", "**客诉**. Dissatisfaction.": "**客户投诉**，也称客诉。",
        "Complaint handling": "投诉处理 (Complaint handling)",
        "**客诉处理**. What the company does.": "**投诉处理**，也称客诉处理。",
        "Mehrabian's rule": "梅拉比安法则 (Mehrabian's rule)",
        "**梅拉比安法则**. Conflicting cues.": "**梅拉比安法则**，也称 7-38-55 定律。",
        "Elbow method": "肘部法则 (Elbow method)", "**肘部法则**. Choosing k.": "**肘部法则**，也称手肘法。",
        "A second paragraph.": "第二段。",
    }
    concepts = _concepts()
    assert glossary_problems(entries, _catalog(good), concepts) == []

    # a concept missing from the list
    missing = _concepts([c for c in SAMPLE if c["en"] != "Complaint handling"])
    problems = glossary_problems(entries, _catalog(good), missing)
    assert any("'Complaint handling' has no entry" in p for p in problems), problems
    # a term line translated without the preferred term, one untranslated, a variant not mentioned
    bad = dict(good, **{"Framing effect": "框架效应 (Framing effect)", "Complaint": "",
                        "**梅拉比安法则**. Conflicting cues.": "**梅拉比安法则**。"})
    problems = glossary_problems(entries, _catalog(bad), concepts)
    assert any("'Framing effect' is translated" in p and "'框定效应'" in p for p in problems), problems
    assert any("term line 'Complaint' is not translated" in p for p in problems), problems
    assert any("variant '7-38-55定律'" in p for p in problems), problems
    assert len(problems) == 3, problems
    # an entry of the list that is not in the glossary, an alias that is not a term line
    extra = _concepts([*SAMPLE, {"en": "Churn", "zh": "流失", "variants": []}])
    assert any("'Churn'" in p and "not a term" in p for p in glossary_problems(entries, _catalog(good), extra))
    no_alias = _concepts([dict(SAMPLE[0], aliases=[]), *SAMPLE[1:]])
    assert any("'Framing effect'" in p and "alias" in p
               for p in glossary_problems(entries, _catalog(good), no_alias))


@pytest.mark.parametrize(("data", "expected"), [
    ([*SAMPLE, {"en": "framing", "zh": "框定", "variants": []}], "duplicate English term 'framing'"),
    ([*SAMPLE, {"en": "Churn", "zh": "", "variants": []}], "empty or missing zh"),
    ([*SAMPLE, {"en": "Churn", "variants": []}], "empty or missing zh"),
    ([*SAMPLE, {"en": "", "zh": "流失", "variants": []}], "empty or missing en"),
    ([*SAMPLE, {"en": "Churn", "zh": "流失"}], "missing variants"),
    ([*SAMPLE, {"en": "Churn", "zh": "流失", "variants": "客户流失"}], "must be a list"),
    ([*SAMPLE, {"en": "Churn", "zh": "客户投诉", "variants": []}], "one term per concept"),
    ([*SAMPLE, {"en": "Churn", "zh": "流失", "variants": ["框定效应"]}], "is a preferred term"),
    ([*SAMPLE, {"en": "Churn", "zh": "流失", "variants": ["肘部"]}], "is part of the preferred term"),
    ([*SAMPLE, {"en": "Churn", "zh": "流失", "variants": ["框架效应"]}], "listed for 'Framing' and 'Churn'"),
    ([*SAMPLE, {"en": "Churn", "zh": "流失", "variants": [], "alias": []}], "unknown keys"),
    ([*SAMPLE, ["Churn", "流失"]], "must be a mapping"),
    ({"en": "Churn"}, "non-empty YAML list"),
])
def test_malformed_terminology_is_rejected(data, expected: str) -> None:
    _, errors = parse_terminology(data)
    assert any(expected in e for e in errors), errors
