"""The instructor kit's timings and structure add up (issue 11).

Reads the English sources only (the zh edition translates the same text):

- every workbook's plan (the ``**Instructor notes.** About N minutes: a for ..., b for ...`` cell) has
  parts that add up to N, and every role-play of the chapter (``{roleplay}`` directives with
  ``:minutes:`` in the chapter page, or, before their conversion, ``Role-play:`` admonitions whose
  instructor title says "(N minutes") is named in exactly one part, which is long enough for it; the
  workbook's own role-play notes give the same minutes;
- every table of ``book/agenda.md`` runs without gaps, each row's minutes are its end minus its start,
  the day's total row is right, the day starts around 09:00 and ends by 17:30, and every chapter block
  lasts exactly its plan's total (a chapter split around a break is split between parts of its plan);
- every chapter page has its learning objectives right under its title, with 3-6 items;
- every case section (label ``case-...``) ends with an ``{instructor}`` block titled ``Model answer``,
  and every "Case N" heading has such a label.

Each check returns a list of problems, so a failure says everything that is wrong at once; the last
tests feed the checks broken text to show that each one can fail.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"

#: Chapter page (book/<name>.md) -> its workbook (notebooks/<name>.ipynb).
CHAPTERS = {
    "rfm": "rfm",
    "segmentation": "segmentation_workbook",
    "value_matrix": "value_matrix_workbook",
    "clv": "clv_workbook",
    "communication": "communication_workbook",
    "complaints": "complaints_workbook",
    "lifecycle": "lifecycle_workbook",
    "sandbox": "sandbox_workbook",
}
ANALYTICAL = {"rfm", "segmentation", "value_matrix", "clv"}
SERVICE = {"communication", "complaints"}
LIFECYCLE = {"lifecycle", "sandbox"}
#: The agenda tables (their :name:) and the chapters each must hold.
AGENDA_TABLES = {
    "agenda-table-analyst-day": ANALYTICAL,
    "agenda-table-service-day": SERVICE,
    "agenda-table-two-days-1": ANALYTICAL,
    "agenda-table-two-days-2": SERVICE,
    "agenda-table-lifecycle-day": LIFECYCLE,
}
BREAKS = {"Break", "Lunch"}
EARLIEST_START, LATEST_START, LATEST_END = "08:30", "09:30", "17:30"


# ------------------------------------------------------------------------------------------------
# Reading the sources
# ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Plan:
    """A chapter's plan: the total and its parts (minutes, what the part is for)."""

    source: str
    total: int
    parts: tuple[tuple[int, str], ...]


PLAN_HEAD = "**Instructor notes.**"
PLAN_RE = re.compile(r"About (\d+) minutes: (.+?)\.(?:\s|$)")
PART_SPLIT_RE = re.compile(r",\s+(?:and\s+)?(?=\d+\s+for\b)")
PART_RE = re.compile(r"(\d+)\s+for\s+(.+)", re.S)


def instructor_cells(notebook: Path) -> list[str]:
    """The sources of the markdown cells tagged ``instructor``, in order."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells
            if c["cell_type"] == "markdown" and "instructor" in c.get("metadata", {}).get("tags", [])]


def parse_plan(text: str, source: str) -> Plan:
    """The plan in one instructor note: ``About N minutes: a for ..., b for ..., and c for ....``."""
    flat = " ".join(text.split())
    match = PLAN_RE.search(flat)
    assert match, f"{source}: no 'About N minutes: a for ..., b for ...' sentence in {flat[:120]!r}"
    parts = []
    for piece in PART_SPLIT_RE.split(match.group(2)):
        part = PART_RE.fullmatch(piece.strip())
        assert part, f"{source}: the plan part {piece!r} does not read 'N for ...'"
        parts.append((int(part.group(1)), part.group(2)))
    return Plan(source, int(match.group(1)), tuple(parts))


def workbook_plan(chapter: str) -> Plan:
    notebook = ROOT / "notebooks" / f"{CHAPTERS[chapter]}.ipynb"
    notes = [c for c in instructor_cells(notebook) if c.startswith(PLAN_HEAD)]
    assert len(notes) == 1, f"{notebook.name}: expected one '{PLAN_HEAD}' cell, found {len(notes)}"
    return parse_plan(notes[0], notebook.name)


def normalise_title(title: str) -> str:
    """Lower case, no quotes or emphasis, no leading 'the': how a plan part names a role-play."""
    title = re.sub(r"[\"'*“”]", "", title).strip().lower()
    return re.sub(r"^the\s+", "", title)


FENCE_OPEN_RE = re.compile(r"^(`{3,}|~{3,})(.*)$")


def top_level_blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """(first line, closing line, info string) of each top-level fenced block (directives, code cells).

    CommonMark rule: a fence closes at a line of at least as many of the same character; shorter
    fences inside (a nested directive) are content.
    """
    blocks, i = [], 0
    while i < len(lines):
        opened = FENCE_OPEN_RE.match(lines[i])
        if opened:
            fence = opened.group(1)
            close = re.compile(rf"^{re.escape(fence[0])}{{{len(fence)},}}\s*$")
            j = i + 1
            while j < len(lines) and not close.match(lines[j]):
                j += 1
            blocks.append((i, j, opened.group(2).strip()))
            i = j + 1
        else:
            i += 1
    return blocks


def outside_fences(lines: list[str]) -> list[int]:
    """Indexes of the lines that are not inside a top-level fenced block."""
    inside = set()
    for start, end, _info in top_level_blocks(lines):
        inside.update(range(start, end + 1))
    return [i for i in range(len(lines)) if i not in inside]


def book_roleplays(text: str) -> list[tuple[str, int]]:
    """(title, minutes) of every role-play in a chapter page.

    ``{roleplay} Title`` directives with ``:minutes: N``; failing those, the older form: a
    ``Role-play: Title`` admonition with an instructor block titled "... (N minutes ...".
    """
    lines = text.splitlines()
    found = []
    for start, end, info in top_level_blocks(lines):
        directive = re.match(r"\{roleplay\}\s*(.*)", info)
        admonition = re.match(r"\{admonition\}\s*Role-play:\s*(.+)", info)
        body = lines[start + 1:end]
        if directive:
            options = [line for line in body if line.startswith(":minutes:")]
            assert options, f"role-play {directive.group(1)!r} has no :minutes: option"
            found.append((directive.group(1), int(options[0].split(":", 2)[2])))
        elif admonition:
            minutes = re.search(r"\{instructor\}[^\n]*\((\d+) minutes", "\n".join(body))
            assert minutes, f"role-play {admonition.group(1)!r}: no '(N minutes' in its instructor title"
            found.append((admonition.group(1), int(minutes.group(1))))
    return found


WORKBOOK_ROLEPLAY_RE = re.compile(r"^\*\*Role-play(?: \d+)?: (.+?) \((\d+) min")


def workbook_roleplays(chapter: str) -> list[tuple[str, int]]:
    notebook = ROOT / "notebooks" / f"{CHAPTERS[chapter]}.ipynb"
    found = []
    for cell in instructor_cells(notebook):
        match = WORKBOOK_ROLEPLAY_RE.match(cell)
        if match:
            found.append((match.group(1), int(match.group(2))))
    return found


# ------------------------------------------------------------------------------------------------
# The checks: each returns the list of what is wrong
# ------------------------------------------------------------------------------------------------

def plan_problems(plan: Plan) -> list[str]:
    added = sum(minutes for minutes, _ in plan.parts)
    if added != plan.total:
        listed = " + ".join(str(minutes) for minutes, _ in plan.parts)
        return [f"{plan.source}: the plan says About {plan.total} minutes but its parts add up to "
                f"{listed} = {added}"]
    return []


def roleplay_problems(plan: Plan, roleplays: list[tuple[str, int]], in_workbook: list[tuple[str, int]],
                      page: str) -> list[str]:
    problems = []
    for title, minutes in roleplays:
        key = normalise_title(title)
        holders = [(m, text) for m, text in plan.parts if key in normalise_title(text)]
        if len(holders) != 1:
            problems.append(f"{plan.source}: role-play {title!r} of {page} ({minutes} minutes) must be named in "
                            f"exactly one part of the plan, found in {len(holders)}: {[t for _, t in holders]}")
        elif holders[0][0] < minutes:
            problems.append(f"{plan.source}: role-play {title!r} takes {minutes} minutes but its part "
                            f"{holders[0][0]} for {holders[0][1]!r} is shorter")
    in_book = {normalise_title(title): minutes for title, minutes in roleplays}
    for title, minutes in in_workbook:
        key = normalise_title(title)
        if key not in in_book:
            problems.append(f"{plan.source}: the workbook's role-play {title!r} is not a role-play of {page} "
                            f"(its role-plays: {sorted(in_book)})")
        elif in_book[key] != minutes:
            problems.append(f"{plan.source}: the workbook gives role-play {title!r} {minutes} minutes, "
                            f"{page} gives it {in_book[key]}")
    return problems


def minutes_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


@dataclass(frozen=True)
class Row:
    start: str
    end: str
    block: str
    minutes: int


def cells(line: str) -> list[str]:
    return [cell.strip().strip("*").strip() for cell in line.strip().strip("|").split("|")]


def agenda_tables(text: str) -> dict[str, list[Row]]:
    """Every table with the columns Start | End | Block | Minutes, by its :name: (rows incl. the total)."""
    lines = text.splitlines()
    tables = {}
    for start, end, info in top_level_blocks(lines):
        if not info.startswith("{table}"):
            continue
        body = lines[start + 1:end]
        names = [line.split(":", 2)[2].strip() for line in body if line.startswith(":name:")]
        rows = [line for line in body if line.startswith("|")]
        if not rows or cells(rows[0]) != ["Start", "End", "Block", "Minutes"]:
            continue
        assert names, f"agenda table at line {start + 1} has no :name:"
        parsed = []
        for line in rows[2:]:
            start_, end_, block, minutes = cells(line)
            parsed.append(Row(start_, end_, block, int(minutes)))
        tables[names[0]] = parsed
    return tables


DOC_RE = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`")
TOTAL_RE = re.compile(r"Day: (\d+) minutes of teaching, (\d+) of breaks and lunch")


def prefix_sums(plan: Plan) -> list[int]:
    sums, running = [], 0
    for minutes, _ in plan.parts:
        running += minutes
        sums.append(running)
    return sums


def agenda_problems(name: str, rows: list[Row], plans: dict[str, Plan], chapters: set[str]) -> list[str]:
    problems = []
    *day, total = rows
    if not day:
        return [f"{name}: no rows"]
    for row in day:
        if minutes_of(row.end) - minutes_of(row.start) != row.minutes:
            problems.append(f"{name}: {row.start}-{row.end} {row.block!r} says {row.minutes} minutes, "
                            f"the clock says {minutes_of(row.end) - minutes_of(row.start)}")
    for before, after in zip(day, day[1:]):
        if before.end != after.start:
            problems.append(f"{name}: {before.block!r} ends at {before.end} but {after.block!r} starts at "
                            f"{after.start}")
    if not EARLIEST_START <= day[0].start <= LATEST_START:
        problems.append(f"{name}: the day starts at {day[0].start}, not between {EARLIEST_START} and "
                        f"{LATEST_START}")
    if day[-1].end > LATEST_END:
        problems.append(f"{name}: the day ends at {day[-1].end}, after {LATEST_END}")
    kinds = {row.block for row in day if row.block in BREAKS}
    if kinds != BREAKS:
        problems.append(f"{name}: a day needs a break and a lunch; it has {sorted(kinds) or 'neither'}")
    # the total row
    breaks = sum(row.minutes for row in day if row.block in BREAKS)
    teaching = sum(row.minutes for row in day) - breaks
    stated = TOTAL_RE.search(total.block)
    if (total.start, total.end) != (day[0].start, day[-1].end):
        problems.append(f"{name}: the total row runs {total.start}-{total.end}, the day "
                        f"{day[0].start}-{day[-1].end}")
    if total.minutes != teaching + breaks:
        problems.append(f"{name}: the total row says {total.minutes} minutes, the rows add up to "
                        f"{teaching + breaks}")
    if not stated:
        problems.append(f"{name}: the total row {total.block!r} does not read 'Day: T minutes of teaching, "
                        f"B of breaks and lunch'")
    elif (int(stated.group(1)), int(stated.group(2))) != (teaching, breaks):
        problems.append(f"{name}: the total row says {stated.group(1)} minutes of teaching and {stated.group(2)} "
                        f"of breaks; the rows give {teaching} and {breaks}")
    # chapter blocks: all of a chapter's rows add up to its plan, split only between parts of the plan
    seen: dict[str, list[int]] = {}
    for row in day:
        for target in DOC_RE.findall(row.block):
            if target in CHAPTERS:
                seen.setdefault(target, []).append(row.minutes)
    if set(seen) != chapters:
        problems.append(f"{name}: holds the chapters {sorted(seen)}, expected {sorted(chapters)}")
    for chapter, blocks in seen.items():
        plan = plans[chapter]
        if sum(blocks) != plan.total:
            problems.append(f"{name}: the {chapter} blocks last {' + '.join(map(str, blocks))} = {sum(blocks)} "
                            f"minutes, its plan ({plan.source}) {plan.total}")
            continue
        boundaries, running = prefix_sums(plan), 0
        for minutes in blocks[:-1]:
            running += minutes
            if running not in boundaries:
                problems.append(f"{name}: {chapter} is split after {running} minutes, which is not the end of "
                                f"a part of its plan (parts end at {boundaries})")
    return problems


OBJECTIVES_HEAD = ["```{admonition} Learning objectives", ":class: objectives", "After this chapter you can:", ""]


def objectives_problems(page: str, text: str) -> list[str]:
    lines = text.splitlines()
    if lines and lines[0] == "---":  # front matter
        lines = lines[lines.index("---", 1) + 1:]
    titles = [i for i in outside_fences(lines) if lines[i].startswith("# ")]
    if not titles:
        return [f"{page}: no '# ' title"]
    after = lines[titles[0] + 1:]
    while after and not after[0].strip():
        after = after[1:]
    if after[:len(OBJECTIVES_HEAD)] != OBJECTIVES_HEAD:
        wrong = next((line for line, want in zip(after, OBJECTIVES_HEAD) if line != want), "(end of page)")
        return [f"{page}: the title must be followed by the learning objectives ({OBJECTIVES_HEAD[0]!r}, "
                f"{OBJECTIVES_HEAD[1]!r}, {OBJECTIVES_HEAD[2]!r}, a blank line, then the items), found {wrong!r}"]
    body = after[len(OBJECTIVES_HEAD):]
    if "```" not in body:
        return [f"{page}: the objectives admonition is not closed"]
    items = body[:body.index("```")]
    problems = [f"{page}: objectives line {line!r} is neither an item ('- ...') nor its continuation"
                for line in items if line and not line.startswith(("- ", "  "))]
    count = sum(line.startswith("- ") for line in items)
    if not 3 <= count <= 6:
        problems.append(f"{page}: {count} learning objectives, expected 3 to 6")
    return problems


CASE_LABEL_RE = re.compile(r"^\((case-[A-Za-z0-9_-]+)\)=\s*$")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")


def case_problems(page: str, text: str) -> list[str]:
    lines = text.splitlines()
    visible = outside_fences(lines)
    headings = [(i, len(m.group(1)), m.group(2)) for i in visible if (m := HEADING_RE.match(lines[i]))]
    labels = {i: m.group(1) for i in visible if (m := CASE_LABEL_RE.match(lines[i]))}
    blocks = top_level_blocks(lines)
    problems = []

    def label_before(heading_line: int) -> str | None:
        j = heading_line - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        return labels.get(j)

    for number, (line, level, title) in enumerate(headings):
        label = label_before(line)
        if re.match(r"Case \d", title) and label is None:
            problems.append(f"{page}: the heading {title!r} (line {line + 1}) has no (case-...)= label")
        if label is None:
            continue
        # the section runs to the next heading of the same or a higher level (and its labels)
        end = len(lines)
        for later, later_level, _ in headings[number + 1:]:
            if later_level <= level:
                end = later
                while end > line and (not lines[end - 1].strip() or re.match(r"^\(.+\)=\s*$", lines[end - 1])):
                    end -= 1
                break
        inside = [b for b in blocks if line < b[0] < end]
        answers = [b for b in inside if re.fullmatch(r"\{instructor\}\s+Model answer", b[2])]
        if not answers:
            problems.append(f"{page}: case section {label} ({title!r}) has no ```{{instructor}} Model answer block")
            continue
        trailing = [lines[i] for i in range(answers[-1][1] + 1, end) if lines[i].strip()]
        if trailing:
            problems.append(f"{page}: in case section {label} the Model answer is not the end of the section; "
                            f"after it comes {trailing[0]!r}")
    return problems


# ------------------------------------------------------------------------------------------------
# The tests
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {chapter: workbook_plan(chapter) for chapter in CHAPTERS}


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_plan_parts_add_up(chapter: str, plans: dict[str, Plan]) -> None:
    problems = plan_problems(plans[chapter])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_roleplays_fit_their_part(chapter: str, plans: dict[str, Plan]) -> None:
    text = (BOOK / f"{chapter}.md").read_text(encoding="utf-8")
    problems = roleplay_problems(plans[chapter], book_roleplays(text), workbook_roleplays(chapter),
                                 f"book/{chapter}.md")
    assert not problems, "\n".join(problems)


def test_service_chapters_have_their_roleplays() -> None:
    """The role-play check above must not pass vacuously: the skills chapters have role-plays."""
    for chapter in SERVICE:
        found = book_roleplays((BOOK / f"{chapter}.md").read_text(encoding="utf-8"))
        assert len(found) >= 2, f"book/{chapter}.md: found {len(found)} role-plays, expected at least 2"


def test_agenda_tables_add_up(plans: dict[str, Plan]) -> None:
    tables = agenda_tables((BOOK / "agenda.md").read_text(encoding="utf-8"))
    assert set(AGENDA_TABLES) <= set(tables), (
        f"book/agenda.md: expected the agenda tables {sorted(AGENDA_TABLES)}, found {sorted(tables)}")
    problems = []
    for name, rows in tables.items():
        problems += agenda_problems(name, rows, plans, AGENDA_TABLES.get(name, set()))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_objectives_under_the_title(chapter: str) -> None:
    problems = objectives_problems(f"book/{chapter}.md", (BOOK / f"{chapter}.md").read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("chapter", sorted(CHAPTERS))
def test_case_sections_have_model_answers(chapter: str) -> None:
    problems = case_problems(f"book/{chapter}.md", (BOOK / f"{chapter}.md").read_text(encoding="utf-8"))
    assert not problems, "\n".join(problems)


def test_case_sections_exist() -> None:
    """Not vacuous: the chapters with case discussions have labelled case sections."""
    for chapter in ("rfm", "value_matrix", "clv", "complaints", "lifecycle"):
        text = (BOOK / f"{chapter}.md").read_text(encoding="utf-8")
        assert re.findall(r"^\(case-", text, re.M), (
            f"book/{chapter}.md: no (case-...)= section")


# ------------------------------------------------------------------------------------------------
# The checks fail on broken text
# ------------------------------------------------------------------------------------------------

GOOD_PLAN = "**Instructor notes.** About 30 minutes: 10 for the audit (exercises 1-2), and 20 for the " \
            "role-play \"the question funnel\". Then ask the room."
AGENDA = """
```{table} A day.
:name: agenda-table-x

| Start | End | Block | Minutes |
|---|---|---|---|
| 09:00 | 09:10 | {doc}`RFM <rfm>` | 10 |
| 09:10 | 09:25 | Break | 15 |
| 09:25 | 09:45 | {doc}`rfm` | 20 |
| 09:45 | 10:45 | Lunch | 60 |
| **09:00** | **10:45** | **Day: 30 minutes of teaching, 75 of breaks and lunch** | **105** |
```
"""


def test_checks_catch_a_broken_plan() -> None:
    plan = parse_plan(GOOD_PLAN, "x.ipynb")
    assert plan.total == 30 and [m for m, _ in plan.parts] == [10, 20]
    assert not plan_problems(plan)
    assert "add up to 10 + 20 = 30" in plan_problems(parse_plan(GOOD_PLAN.replace("About 30", "About 35"), "x"))[0]
    funnel = [("The question funnel", 15)]
    assert not roleplay_problems(plan, funnel, [("the question funnel", 15)], "p")
    assert "is shorter" in roleplay_problems(plan, [("The question funnel", 25)], [], "p")[0]
    assert "exactly one part" in roleplay_problems(plan, [("The blind spot", 10)], [], "p")[0]
    assert "gives it 15" in roleplay_problems(plan, funnel, [("the question funnel", 10)], "p")[0]


def test_checks_catch_a_broken_agenda() -> None:
    plan = parse_plan(GOOD_PLAN, "x.ipynb")
    rows = agenda_tables(AGENDA)["agenda-table-x"]
    assert not agenda_problems("x", rows, {"rfm": plan}, {"rfm"})
    broken = agenda_tables(AGENDA.replace("| 09:25 | 09:45 | {doc}`rfm` | 20 |", "| 09:30 | 09:45 | {doc}`rfm` | 20 |"))
    problems = agenda_problems("x", broken["agenda-table-x"], {"rfm": plan}, {"rfm"})
    assert any("ends at 09:25 but" in p for p in problems) and any("the clock says 15" in p for p in problems)
    short = AGENDA.replace("| 09:00 | 09:10 | {doc}`RFM <rfm>` | 10 |",
                           "| 09:00 | 09:05 | {doc}`RFM <rfm>` | 5 |\n| 09:05 | 09:10 | Questions | 5 |")
    problems = agenda_problems("x", agenda_tables(short)["agenda-table-x"], {"rfm": plan}, {"rfm"})
    assert any("rfm blocks last 5 + 20 = 25 minutes" in p for p in problems), problems
    wrong_total = AGENDA.replace("30 minutes of teaching", "35 minutes of teaching")
    problems = agenda_problems("x", agenda_tables(wrong_total)["agenda-table-x"], {"rfm": plan}, {"rfm"})
    assert any("the rows give 30 and 75" in p for p in problems), problems
    mid_part = AGENDA.replace("| 09:00 | 09:10 | {doc}`RFM <rfm>` | 10 |", "| 09:00 | 09:12 | {doc}`RFM <rfm>` | 12 |")
    mid_part = mid_part.replace("| 09:10 | 09:25 | Break | 15 |", "| 09:12 | 09:25 | Break | 13 |").replace(
        "| 09:25 | 09:45 | {doc}`rfm` | 20 |", "| 09:25 | 09:43 | {doc}`rfm` | 18 |").replace(
        "| 09:45 | 10:45 | Lunch | 60 |", "| 09:43 | 10:45 | Lunch | 62 |")
    problems = agenda_problems("x", agenda_tables(mid_part)["agenda-table-x"], {"rfm": plan}, {"rfm"})
    assert any("split after 12 minutes" in p for p in problems), problems
    late = AGENDA.replace("09:45 | 10:45 | Lunch", "09:45 | 17:45 | Lunch")
    assert any("after 17:30" in p for p in agenda_problems("x", agenda_tables(late)["agenda-table-x"],
                                                           {"rfm": plan}, {"rfm"}))


def test_checks_catch_missing_objectives_and_answers() -> None:
    page = "# Title\n\n```{admonition} Learning objectives\n:class: objectives\nAfter this chapter you can:\n\n" \
           "- do one;\n- do two;\n  still two;\n- do three.\n```\n\nText.\n"
    assert not objectives_problems("p", page)
    assert "2 learning objectives" in objectives_problems("p", page.replace("- do three.\n", ""))[0]
    assert "followed by the learning objectives" in objectives_problems("p", page.replace("# Title\n", "# Title\n\nIntro.\n"))[0]
    case = ("## Cases\n\n(case-p-one)=\n### Case 1: one\n\nQuestions.\n\n```{instructor} Model answer\nA.\n```\n\n"
            "(case-p-two)=\n### Case 2: two\n\nQuestions.\n\n```{instructor} Model answer\nB.\n```\n\n"
            "(p-summary)=\n## Key points\n")
    assert not case_problems("p", case)
    assert "has no ```{instructor} Model answer" in case_problems("p", case.replace("Model answer\nB.", "Debrief\nB."))[0]
    assert "has no (case-...)= label" in case_problems("p", case.replace("(case-p-two)=\n", ""))[0]
    assert "not the end of the section" in case_problems("p", case.replace("B.\n```\n", "B.\n```\n\nMore text.\n"))[0]
