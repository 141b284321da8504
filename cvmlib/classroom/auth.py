"""Signing in to the classroom: a name of one's choice and the room password; the instructor is admin.

A participant types any name (Latin, Chinese, with spaces: ``Zhang Wei``, ``张伟``) and the room
password the instructor set (``ROOM_PASSWORD``); the name :attr:`ClassroomAuthenticator.instructor_name`
(``instructor``) with the instructor password (``INSTRUCTOR_PASSWORD``) signs in the instructor, who
is the hub's admin. There is no sign-up and no account list: whoever knows the room password is in,
which is what a training room needs (the room, not the person, is what the password protects).

Names are normalised (:func:`clean_name`: Unicode NFKC, spaces collapsed) and compared without
case (:func:`account_name`): ``Anna``, ``anna`` and ``ＡＮＮＡ`` are one participant, who finds their
work again whichever way they type it. The name as typed (cleaned) is their display name. A name
that is empty, longer than :data:`MAX_NAME_LENGTH` characters, or has characters other than
letters, digits, spaces and ``- _ . ' ·`` is refused on the sign-in page with a message in the
page's language (:class:`NameRefused`).

The sign-in page (:class:`ClassroomLoginHandler`, template ``templates/login.html``) is in English
or Chinese (a switch at the top; remembered in a cookie) and lets the participant choose the
language of their workbooks and JupyterLab; that choice is remembered in their home
(:meth:`cvmlib.classroom.homes.Room.choose`) and can be changed at any later sign-in.

Examples
--------
>>> clean_name("  Zhang   Wei ")
'Zhang Wei'
>>> account_name(clean_name("ＡＮＮＡ"))
'anna'
>>> check_name("张伟")
'张伟'
>>> try:
...     check_name("ann@example")
... except NameRefused as refused:
...     print(refused.text("en"))
...     print(refused.text("zh"))
Your name cannot contain “@”: use letters, digits, spaces and - _ . ' · only.
名字里不能有“@”：只能用字母、数字、空格和 - _ . ' ·。
"""

from __future__ import annotations

import hmac
import unicodedata
from typing import Any

from jupyterhub.auth import Authenticator
from jupyterhub.handlers.login import LoginHandler
from tornado import web
from traitlets import Unicode

from cvmlib.classroom.pages import LANGUAGE_COOKIE, PAGE_LANGUAGES, page_context, page_language, text
from cvmlib.i18n import N_, translations

#: A name is a label for the instructor, not a place for notes.
MAX_NAME_LENGTH = 40
#: Characters a name may have besides letters, digits and marks: space, hyphen, underscore, dot,
#: apostrophe (O'Brien) and the middle dot of transliterated names (阿卜杜·热合曼).
NAME_PUNCTUATION = " -_.'·"
_LETTER_CATEGORIES = ("L", "M", "N")

NAME_EMPTY = N_("Type your name.")
NAME_TOO_LONG = N_("Your name has {n} characters; use at most {max}.")
NAME_BAD_CHARACTERS = N_("Your name cannot contain {characters}: use letters, digits, spaces and - _ . ' · only.")
NAME_ONLY_DOTS = N_("Your name needs at least one letter or digit.")
WRONG_PASSWORD = N_("Wrong room password. Ask your instructor for it, and check that Caps Lock is off.")
WRONG_INSTRUCTOR_PASSWORD = N_("Wrong instructor password for {name}.")
BAD_LANGUAGE = N_("Choose English or 中文.")


class NameRefused(ValueError):
    """A name the classroom does not accept; :meth:`text` is the message in a page's language."""

    def __init__(self, message: str, **values: Any) -> None:
        super().__init__(message.format(**values))
        self.message, self.values = message, values

    def text(self, lang: str) -> str:
        """The message in ``lang``."""
        return translations(lang).gettext(self.message).format(**self.values)


def clean_name(typed: str) -> str:
    """The name as the participant means it: Unicode NFKC (full-width letters made plain), spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", str(typed)).split())


def account_name(name: str) -> str:
    """The hub's name for a participant: the cleaned name without case (``Anna`` and ``anna`` are one)."""
    return unicodedata.normalize("NFKC", clean_name(name).casefold())


def check_name(typed: str) -> str:
    """The cleaned display name, or :class:`NameRefused` saying what is wrong with ``typed``."""
    name = clean_name(typed)
    if not name:
        raise NameRefused(NAME_EMPTY)
    if len(name) > MAX_NAME_LENGTH:
        raise NameRefused(NAME_TOO_LONG, n=len(name), max=MAX_NAME_LENGTH)
    bad = [char for char in dict.fromkeys(name)
           if char not in NAME_PUNCTUATION and not unicodedata.category(char).startswith(_LETTER_CATEGORIES)]
    if bad:
        shown = " ".join(f"“{char}”" if char.isprintable() else f"U+{ord(char):04X}" for char in bad)
        raise NameRefused(NAME_BAD_CHARACTERS, characters=shown)
    if not any(unicodedata.category(char).startswith(_LETTER_CATEGORIES) for char in name):
        raise NameRefused(NAME_ONLY_DOTS)
    return name


def _same(given: str, expected: str) -> bool:
    """Whether a password matches, in constant time; an empty expected password matches nothing."""
    return bool(expected) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


class ClassroomAuthenticator(Authenticator):
    """Any name with the room password; the instructor's name with the instructor password (admin)."""

    room_password = Unicode("", help="The password every participant types (ROOM_PASSWORD).").tag(config=True)
    instructor_password = Unicode("", help="The instructor's password (INSTRUCTOR_PASSWORD).").tag(config=True)
    instructor_name = Unicode("instructor", help="The name the instructor signs in with.").tag(config=True)

    def normalize_username(self, username: str) -> str:
        """The account name (:func:`account_name`): case and width do not make another participant."""
        return account_name(username)

    def is_instructor(self, account: str) -> bool:
        """Whether ``account`` is the instructor's."""
        return account == account_name(self.instructor_name)

    async def authenticate(self, handler: web.RequestHandler, data: dict[str, str]) -> dict[str, Any] | None:
        """The account for a name and password typed on the sign-in page, or None (refused)."""
        try:
            account = account_name(check_name(data.get("username", "")))
        except NameRefused:
            return None
        password = data.get("password", "")
        if self.is_instructor(account):
            return {"name": account, "admin": True} if _same(password, self.instructor_password) else None
        # admin False, not None: nobody but the instructor is admin, whatever the database says
        return {"name": account, "admin": False} if _same(password, self.room_password) else None

    def get_handlers(self, app: Any) -> list[tuple[str, type[web.RequestHandler]]]:
        """The classroom's own sign-in page."""
        return [("/login", ClassroomLoginHandler)]


class ClassroomLoginHandler(LoginHandler):
    """The sign-in page in the chosen language; remembers the participant's language at sign-in."""

    def page_lang(self) -> str:
        """The page's language: ``?lang=``, the form's, the cookie's, else the browser's."""
        query = self.get_argument("page_lang", default=None) or self.get_argument("lang", default=None)
        return page_language(query, self.get_cookie(LANGUAGE_COOKIE), self.request.headers.get("Accept-Language"))

    def _render(self, login_error: str | None = None, username: str | None = None, **kwargs: Any) -> Any:
        lang = self.page_lang()
        authenticator = self.authenticator
        context = page_context(lang, name=getattr(authenticator, "instructor_name", "instructor"))
        kwargs.setdefault("chosen_lang", lang)
        return super()._render(login_error=login_error, username=username, cvm=context, **kwargs)

    async def get(self) -> None:
        """The sign-in page; a ``?lang=`` choice is remembered in this browser."""
        choice = self.get_argument("lang", default=None)
        if choice in PAGE_LANGUAGES:
            self.set_cookie(LANGUAGE_COOKIE, choice, path=self.hub.base_url, expires_days=365)
        await super().get()

    def check_xsrf_cookie(self) -> None:
        """An expired form says so in the page's language (the hub's own message is English)."""
        try:
            super().check_xsrf_cookie()
        except web.HTTPError as error:
            raise web.HTTPError(error.status_code, text(self.page_lang(), "xsrf_expired")) from None

    async def post(self) -> None:
        """Check the name and language first (clear messages), then the password, then remember the choice."""
        data = {arg: self.get_argument(arg, strip=arg == "username")
                for arg in self.request.body_arguments if arg != "_xsrf"}
        lang = self.page_lang()
        typed = data.get("username", "")
        chosen = data.get("lang", lang)
        try:
            display = check_name(typed)
        except NameRefused as refused:
            await self._refuse(400, refused.text(lang), typed, chosen)
            return
        if chosen not in PAGE_LANGUAGES:
            await self._refuse(400, translations(lang).gettext(BAD_LANGUAGE), display, lang)
            return
        user = await self.login_user(data)
        if user is None:
            authenticator = self.authenticator
            instructor = isinstance(authenticator, ClassroomAuthenticator) and authenticator.is_instructor(
                account_name(display))
            message = (translations(lang).gettext(WRONG_INSTRUCTOR_PASSWORD).format(name=display) if instructor
                       else translations(lang).gettext(WRONG_PASSWORD))
            await self._refuse(403, message, display, chosen)
            return
        self.set_cookie(LANGUAGE_COOKIE, chosen, path=self.hub.base_url, expires_days=365)
        remember = getattr(user.spawner, "remember_choice", None)
        if remember is not None and remember(chosen, display) and user.spawner.active and not user.spawner.pending:
            # a new language: the running workspace (old language) stops; the redirect starts the new one
            await self.stop_single_user(user)
        self._jupyterhub_user = user
        self.redirect(self.get_next_url(user))

    async def _refuse(self, status: int, message: str, username: str, chosen: str) -> None:
        self.set_status(status)
        self.finish(await self._render(login_error=message, username=username, chosen_lang=chosen))
