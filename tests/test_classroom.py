"""The classroom server for real: JupyterHub, its proxy and participants' JupyterLab on 127.0.0.1.

One hub (``python -m cvmlib.classroom serve``) on a free port with a temporary room serves the
whole module; participants are driven over HTTP as their browsers would (:mod:`cvmlib.classroom.client`:
the sign-in form with its ``_xsrf`` token, the hub's redirects and OAuth, the Jupyter REST API and
the kernel's websocket). Every request goes to 127.0.0.1. The last test restarts the hub.
"""

from __future__ import annotations

import importlib.util
import json
import socket
import threading
from pathlib import Path

import nbformat
import pytest

from cvmlib.classroom.client import (ClientError, Participant, RunningClassroom, SignInRefused, first_check_cells,
                                     start_classroom)
from cvmlib.classroom.homes import LAB_LOCALE_FILE, LAB_SETTINGS, Room
from cvmlib.classroom.hub import ClassroomError, find_proxy, settings_from_env
from tests.lab_harness import HAVE_CHROMIUM, LOCAL, NO_CHROMIUM, chromium

pytestmark = pytest.mark.xdist_group("classroom")

ROOT = Path(__file__).resolve().parents[1]
ROOM_PASSWORD, INSTRUCTOR_PASSWORD = "room-pass-11", "teach-pass-11"
WORKBOOK = "rfm.ipynb"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def classroom(tmp_path_factory: pytest.TempPathFactory) -> RunningClassroom:
    try:
        find_proxy()
    except ClassroomError as error:
        pytest.skip(str(error))
    room = tmp_path_factory.mktemp("room")
    hub = start_classroom(room, _free_port(), ROOM_PASSWORD, INSTRUCTOR_PASSWORD)
    state = {"hub": hub}
    yield state  # type: ignore[misc]
    state["hub"].stop()


def _hub(classroom: dict[str, RunningClassroom]) -> RunningClassroom:
    return classroom["hub"]


def _solution(cell_id: str) -> str:
    """The worked answer of a solution cell of the course source: what a participant who got it right types."""
    source = nbformat.read(ROOT / "notebooks" / WORKBOOK, as_version=4)
    return next(cell.source for cell in source.cells if cell.get("id") == cell_id)


def _first_check(participant: Participant) -> tuple[list[str], str]:
    """Open the workbook, answer its first exercise correctly, run its cells up to the first check."""
    cells = participant.notebook(WORKBOOK)["cells"]
    positions = first_check_cells(cells)
    kernel = participant.open_kernel(WORKBOOK)
    try:
        errors, text = [], ""
        for position in positions:
            cell = cells[position]
            source = cell["source"]
            if "exercise" in cell.get("metadata", {}).get("tags", []):
                source = _solution(cell["id"])  # the participant's answer
            run = kernel.execute(source)
            if run.error:
                errors.append(run.error)
            text = run.text
    finally:
        kernel.close()
    return errors, text


def test_start_refuses_without_passwords() -> None:
    for env in ({}, {"ROOM_PASSWORD": "a"}, {"ROOM_PASSWORD": "same", "INSTRUCTOR_PASSWORD": "same"},
                {"ROOM_PASSWORD": "a", "INSTRUCTOR_PASSWORD": "b", "ROOM_IP": "wifi"}):
        with pytest.raises(ClassroomError) as refused:
            settings_from_env(env)
        message = str(refused.value)
        assert " | " in message and any("\u4e00" <= char <= "\u9fff" for char in message), message
        assert "\n" not in message


def test_wrong_password_and_bad_names_are_refused(classroom: dict[str, RunningClassroom]) -> None:
    base = _hub(classroom).base
    with pytest.raises(SignInRefused) as refused:
        Participant(base, "Li Na", "not-the-password").sign_in()
    assert refused.value.status == 403 and "Wrong room password" in refused.value.message
    with pytest.raises(SignInRefused) as refused:
        Participant(base, "李娜", "not-the-password", lang="zh").sign_in()
    assert refused.value.status == 403 and "密码" in refused.value.message
    with pytest.raises(SignInRefused) as refused:  # the instructor's name with the room password
        Participant(base, "Instructor", ROOM_PASSWORD).sign_in()
    assert refused.value.status == 403
    for name, english, chinese in (("   ", "Type your name", "请输入"), ("x" * 41, "at most 40", "最多 40"),
                                   ("ann<script>", "cannot contain", "不能有")):
        for lang, expected in (("en", english), ("zh", chinese)):
            with pytest.raises(SignInRefused) as refused:
                Participant(base, name, ROOM_PASSWORD, lang=lang).sign_in()
            assert refused.value.status == 400 and expected in refused.value.message, refused.value.message
            assert "<script>" not in refused.value.message  # shown escaped, never as markup


def test_two_participants_get_their_workbooks_and_their_checks_are_logged(
        classroom: dict[str, RunningClassroom]) -> None:
    hub = _hub(classroom)
    participants = {"en": Participant(hub.base, "Zhang Wei", ROOM_PASSWORD, lang="en"),
                    "zh": Participant(hub.base, "张伟", ROOM_PASSWORD, lang="zh")}
    results: dict[str, object] = {}

    def attend(lang: str) -> None:
        try:
            participant = participants[lang]
            participant.sign_in()
            participant.start_server()
            results[lang] = _first_check(participant)
        except Exception as error:  # reported below, with the hub's log
            results[lang] = error

    threads = [threading.Thread(target=attend, args=(lang,)) for lang in participants]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    for lang, result in results.items():
        assert not isinstance(result, Exception), f"{lang}: {result!r}\n{hub.log_tail()}"
    for lang, verdict in (("en", "[rfm.recency] Correct"), ("zh", "[rfm.recency] 正确")):
        errors, shown = results[lang]  # type: ignore[misc]
        assert errors == [] and verdict in shown, (lang, errors, shown)

    room = Room(hub.room)
    for lang, participant in participants.items():
        home = room.home_of(participant.account)
        assert home.parent == hub.room / "homes"
        workbook = nbformat.read(home / WORKBOOK, as_version=4)
        assert workbook.metadata["cvm"]["version"] == "participant"
        assert workbook.metadata["cvm"].get("lang", "en") == lang
        title = workbook.cells[0].source.splitlines()[0]
        assert any("\u4e00" <= char <= "\u9fff" for char in title) == (lang == "zh"), title
        assert json.loads((home / ".cvm" / "settings.json").read_text(encoding="utf-8")) == {"name": participant.name}
        locale = json.loads((home / LAB_SETTINGS / LAB_LOCALE_FILE).read_text(encoding="utf-8"))
        assert locale == {"locale": {"en": "en", "zh": "zh_CN"}[lang]}
        records = [json.loads(line) for line in (home / ".cvm" / "progress.jsonl").read_text().splitlines()]
        assert [(r["exercise"], r["status"], r["name"], r["workbook"]) for r in records] == \
            [("rfm.recency", "correct", participant.name, WORKBOOK)]
    # JupyterLab itself in the chosen language: the page of the zh participant loads the zh_CN pack
    lab = participants["zh"].get(participants["zh"].server_url("lab/api/translations/zh_CN"))
    assert lab.status_code == 200 and lab.json()["data"], lab.text[:200]
    classroom["participants"] = participants  # type: ignore[assignment]


@pytest.mark.skipif(not HAVE_CHROMIUM, reason=NO_CHROMIUM)
def test_a_browser_signs_in_in_chinese_and_gets_jupyterlab_in_chinese(classroom: dict[str, RunningClassroom]) -> None:
    pytest.importorskip("playwright.sync_api", reason="the playwright package drives chromium")
    if not classroom.get("participants"):
        pytest.skip("needs the participants of the previous test")
    hub = _hub(classroom)
    seen: list[str] = []

    def route(request_route: object) -> None:
        url = request_route.request.url  # type: ignore[attr-defined]
        seen.append(url)
        (request_route.continue_ if url.startswith(LOCAL) else request_route.abort)()  # type: ignore[attr-defined]

    with chromium() as browser:
        page = browser.new_page(locale="en-US")  # type: ignore[attr-defined]
        page.route("**/*", route)
        page.on("websocket", lambda ws: seen.append(ws.url))
        page.goto(f"{hub.base}/hub/login")
        assert page.locator("h1").inner_text() == "Sign in to the classroom"
        page.click("a.cvm-page-lang[lang=zh]")
        assert page.locator("h1").inner_text() == "登录课堂"
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        assert page.locator("#lang_zh").is_checked()  # the workbooks' language follows the page's
        page.fill("#username_input", "张伟")
        page.fill("#password_input", ROOM_PASSWORD)
        page.click("#login_submit")
        page.wait_for_url("**/user/**/lab**", timeout=90_000)  # their server runs: straight into JupyterLab
        page.locator(".lm-MenuBar-itemLabel", has_text="文件").wait_for(timeout=90_000)
    assert [url for url in seen if not url.startswith(LOCAL)] == []


def test_only_the_instructor_reaches_the_admin_page_and_the_class_report(
        classroom: dict[str, RunningClassroom]) -> None:
    hub = _hub(classroom)
    participant = Participant(hub.base, "Wang Fang", ROOM_PASSWORD)
    participant.sign_in()
    instructor = Participant(hub.base, "instructor", INSTRUCTOR_PASSWORD)
    landing = instructor.sign_in()
    assert landing.headers["Location"].endswith("/hub/home")
    assert participant.get(participant.hub_url("admin")).status_code == 403
    assert instructor.get(instructor.hub_url("admin")).status_code == 200
    home = instructor.get(instructor.hub_url("home"))
    assert home.status_code == 200 and 'id="admin-page"' in home.text
    if importlib.util.find_spec("cvmlib.classroom.service") is None:
        pytest.skip("cvmlib.classroom.service (the live class report) is not there yet")
    assert 'id="class-report"' in home.text, f"the class report did not start:\n{hub.log_tail()}"
    report = instructor.get(f"{hub.base}/services/class-report/")
    assert report.status_code == 200, report.text[:300]
    refused = participant.get(f"{hub.base}/services/class-report/")
    assert refused.status_code == 403, (refused.status_code, refused.url)


def test_a_restart_loses_no_work(classroom: dict[str, RunningClassroom]) -> None:
    participants = classroom.get("participants")
    if not participants:
        pytest.skip("needs the participants of the previous test")
    zhang = participants["en"]  # type: ignore[index]
    zhang.save_file("notes.txt", "RFM: recency first\n")
    hub = _hub(classroom)
    home = Room(hub.room).home_of(zhang.account)
    assert (home / "notes.txt").read_text() == "RFM: recency first\n"

    port = int(hub.base.rsplit(":", 1)[1])
    hub.stop()
    assert (home / "notes.txt").read_text() == "RFM: recency first\n"
    classroom["hub"] = hub = start_classroom(hub.room, port, ROOM_PASSWORD, INSTRUCTOR_PASSWORD)
    again = Participant(hub.base, "zhang  wei", ROOM_PASSWORD)  # the same person, typed differently
    assert again.sign_in().headers["Location"].endswith("/hub/spawn")
    assert Room(hub.room).home_of(again.account) == home
    assert (home / "notes.txt").read_text() == "RFM: recency first\n"
    assert len((home / ".cvm" / "progress.jsonl").read_text().splitlines()) == 1
    # the browser signed in before the restart still is: the cookie secret and the database persisted
    assert zhang.get(zhang.hub_url("home")).url.endswith("/hub/home")
    with pytest.raises(ClientError):
        Participant(hub.base, "Zhang Wei", "wrong").sign_in()


# -- without a hub: names, homes, languages ------------------------------------------------------


def test_names_are_normalised_and_checked() -> None:
    from cvmlib.classroom.auth import MAX_NAME_LENGTH, NameRefused, account_name, check_name

    assert check_name("  Zhang\u3000 Wei ") == "Zhang Wei"  # an ideographic space too
    assert account_name("ＺＨＡＮＧ Wei") == account_name("zhang wei") == "zhang wei"
    assert check_name("阿卜杜·热合曼") == "阿卜杜·热合曼" and check_name("O'Brien-Smith") == "O'Brien-Smith"
    for bad in ("", "   ", "...", "a/b", "x" * (MAX_NAME_LENGTH + 1), "tab\there?", "emoji 😀"):
        with pytest.raises(NameRefused) as refused:
            check_name(bad)
        assert refused.value.text("en") and any("\u4e00" <= c <= "\u9fff" for c in refused.value.text("zh"))


def test_homes_never_collide(tmp_path: Path) -> None:
    from cvmlib.classroom.homes import RECORD, STATE, slug_of, write_json

    room = Room(tmp_path)
    taken = room.homes / slug_of("li na")
    write_json(taken / STATE / RECORD, {"account": "someone else"})  # as if another name had the same hash
    home = room.home_of("li na")
    assert home != taken and home.name == slug_of("li na", 16)
    assert room.home_of("li na") == home  # stable
    assert room.home_of("instructor", instructor=True) == tmp_path / "instructor"


def test_updates_keep_learner_edits_and_a_second_language_goes_beside_the_first(tmp_path: Path) -> None:
    room = Room(tmp_path)
    room.choose("li na", "en", "Li Na")
    first = room.prepare("li na")
    assert first.folder == first.home and first.start_path == ""
    workbook = first.home / WORKBOOK
    nb = nbformat.read(workbook, as_version=4)
    answer = next(cell for cell in nb.cells if "exercise" in cell.metadata.get("tags", []))
    answer.source = "recency = 42  # mine"
    nbformat.write(nb, workbook)
    room._derived.clear()  # a new hub run derives the workbooks again: the merge must keep the answer
    again = room.prepare("li na")
    assert "recency = 42  # mine" in workbook.read_text(encoding="utf-8")
    assert all("up to date" in line for line in again.summaries if line.startswith(WORKBOOK)), again.summaries

    assert room.choose("li na", "zh", "Li Na") is True  # a new language
    chinese = room.prepare("li na")
    assert chinese.folder == chinese.home / "zh" and chinese.start_path == "zh"
    assert nbformat.read(chinese.folder / WORKBOOK, as_version=4).metadata["cvm"]["lang"] == "zh"
    assert "recency = 42  # mine" in workbook.read_text(encoding="utf-8")  # the English work is where it was
    locale = json.loads((chinese.home / LAB_SETTINGS / LAB_LOCALE_FILE).read_text(encoding="utf-8"))
    assert locale["locale"] == "zh_CN"
    for folder in (chinese.home, chinese.folder, chinese.folder / "no-code"):
        if folder.exists():
            assert json.loads((folder / ".cvm" / "settings.json").read_text(encoding="utf-8")) == {"name": "Li Na"}
    assert not any(path.is_symlink() for path in chinese.home.rglob("*"))  # the merge's links are gone
