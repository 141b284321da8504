"""The words of the classroom's own web pages (sign-in, start page, waiting page), in both languages.

The hub's page templates (``cvmlib/classroom/templates/``) never hold English text: they show
``{{ cvm.t.<key> }}``, a text of :data:`PAGE_TEXTS` in the page's language, and the page's language
is chosen per request (:func:`page_language`): the participant's own choice once they are signed
in, else the choice made on the sign-in page (``?lang=``, remembered in a cookie), else the
browser's preferred language. The texts are translated with an explicit catalog
(:func:`cvmlib.i18n.translations`), never through the process-wide language setting: the hub
serves many participants at once, in both languages.

Examples
--------
>>> page_language(query="zh")
'zh'
>>> page_language(accept="zh-CN,zh;q=0.9,en;q=0.8")
'zh'
>>> page_language(query="fr", cookie="en", accept="zh")
'en'
>>> context = page_context("zh")
>>> context["t"]["sign_in"], context["other_lang"], context["html_lang"]
('登录', 'en', 'zh-CN')
>>> text("en", "sign_in")
'Sign in'
"""

from __future__ import annotations

from typing import Any

from cvmlib.i18n import N_, translations

#: The languages of the classroom, in the order the sign-in page offers them.
PAGE_LANGUAGES = ("en", "zh")
#: Each language's name written in that language (a language switch shows the name a reader of it knows).
ENDONYMS = {"en": "English", "zh": "中文"}
#: The ``lang`` attribute of a page in each language.
HTML_LANG = {"en": "en", "zh": "zh-CN"}
#: The cookie that remembers the language chosen on the sign-in page, in that browser.
LANGUAGE_COOKIE = "cvm-lang"

#: Every text of the hub's pages; the templates show them by key.
PAGE_TEXTS: dict[str, str] = {
    # the sign-in page
    "title": N_("CVM classroom"),
    "sign_in_heading": N_("Sign in to the classroom"),
    "sign_in_intro": N_("Type your name and the room password your instructor gave you."),
    "name_label": N_("Your name"),
    "name_help": N_("The name the instructor will see, for example Zhang Wei or 张伟. Sign in with the same name "
                    "each time and you find your work again."),
    "password_label": N_("Room password"),
    "show_password": N_("Show password"),
    "hide_password": N_("Hide password"),
    "language_label": N_("Workbooks and JupyterLab in"),
    "language_help": N_("You can change this later: sign out, then sign in again with the other language."),
    "sign_in": N_("Sign in"),
    "page_language": N_("Language of this page"),
    "instructor_help": N_("Instructor: sign in as {name} with the instructor password."),
    "insecure": N_("This room's server uses plain HTTP: use the room password only here, not for anything else."),
    # the navigation bar
    "nav_home": N_("Start page"),
    "nav_token": N_("Token"),
    "nav_admin": N_("Participants (admin)"),
    "nav_services": N_("Services"),
    "nav_report": N_("Class report"),
    "sign_out": N_("Sign out"),
    "signed_in_as": N_("Signed in as {name}"),
    # the start page (hub home)
    "home_heading": N_("Your workspace"),
    "open_workspace": N_("Open my workbooks"),
    "start_workspace": N_("Start my workspace"),
    "stop_workspace": N_("Stop my workspace"),
    "home_language": N_("Your workbooks and JupyterLab are in {language}. To change the language, sign out and "
                        "sign in again choosing the other one: your work in this language stays where it is."),
    "home_saved": N_("Your work is saved in your own folder on the instructor's computer. If you close the browser, "
                     "sign in again with the same name to find it."),
    "instructor_heading": N_("Instructor"),
    "instructor_report": N_("who tried, solved or is stuck on which exercise, live."),
    "instructor_admin": N_("every participant and their workspace: start, stop, open."),
    "instructor_urls": N_("Participants open one of these addresses and sign in with a name and the room password:"),
    "instructor_no_report": N_("The class report is not available on this server."),
    # the waiting page while a workspace starts
    "pending_heading": N_("Your workspace is being prepared"),
    "pending_wait": N_("This page moves on by itself when it is ready, usually within a few seconds."),
    "pending_details": N_("Details"),
    "pending_failed": N_("Your workspace could not be started. Try again; if it fails again, tell the instructor "
                         "(the details below help them)."),
    "pending_stop": N_("Cancel"),
    "progress_complete": N_("complete"),
    # a workspace that is not running
    "not_running": N_("Your workspace is not running."),
    "start_failed": N_("The last attempt to start your workspace failed."),
    "start_again": N_("Try again"),
    "redirecting": N_("It is started for you in a moment."),
    # an error page
    "error_intro": N_("Something went wrong."),
    "error_back": N_("Back to the start page"),
    "xsrf_expired": N_("The sign-in form was open too long. Sign in again."),
}


def text(lang: str, key: str) -> str:
    """The page text ``key`` of :data:`PAGE_TEXTS` in ``lang`` (``"en"`` or ``"zh"``)."""
    return translations(lang).gettext(PAGE_TEXTS[key])


def bilingual(message: str, **values: Any) -> str:
    """``message`` in English and Chinese on one line (an instructor's terminal or log may be read by either).

    >>> bilingual("Sign in")
    'Sign in | 登录'
    """
    english = message.format(**values)
    chinese = translations("zh").gettext(message).format(**values)
    return english if chinese == english else f"{english} | {chinese}"


def page_context(lang: str, **values: str) -> dict[str, Any]:
    """What a page template reads as ``cvm``: the language, every text in it, and the other language.

    ``values`` fill the ``{placeholders}`` of the texts that have them (e.g. ``name=`` for
    ``instructor_help``); a text whose values are not given keeps its placeholder.
    """
    lang = lang if lang in PAGE_LANGUAGES else "en"
    catalog = translations(lang)
    texts = {}
    for key, message in PAGE_TEXTS.items():
        translated = catalog.gettext(message)
        try:
            texts[key] = translated.format(**values) if "{" in translated else translated
        except (KeyError, IndexError):
            texts[key] = translated
    other = next(code for code in PAGE_LANGUAGES if code != lang)
    return {"lang": lang, "html_lang": HTML_LANG[lang], "t": texts, "other_lang": other,
            "endonyms": ENDONYMS, "languages": PAGE_LANGUAGES}


def page_language(query: str | None = None, cookie: str | None = None, accept: str | None = None) -> str:
    """The language of a page for someone not signed in: ``?lang=``, else the cookie, else the browser's.

    ``accept`` is the ``Accept-Language`` header; its first language that the classroom has wins
    (``zh-CN``, ``zh-TW`` and ``zh`` all mean the Chinese edition). Unknown values are ignored.
    """
    for choice in (query, cookie):
        if choice in PAGE_LANGUAGES:
            return choice
    ranked = []
    for position, part in enumerate((accept or "").split(",")):
        code, _sep, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, position, code.strip().lower().split("-")[0]))
    for _weight, _position, code in sorted(ranked):
        if code in PAGE_LANGUAGES:
            return code
    return "en"
