"""A team's game: rounds played one after the other, every plan and result kept on disk.

Files (JSON, each written to a temporary file and then renamed, so a crash never leaves half a
file) live in ``<folder>/.cvm/sandbox/<team>/``: ``game.json`` (team, seed) and one
``round-RR-attempt-AA.json`` per submitted plan with its result. The classroom report finds them in
each participant's home beside the progress log (``.cvm/``).

Determinism: round ``r`` of a game with seed ``s`` draws its luck from ``(s, r)`` only, the same for
every team; the holdout from ``(s, r)`` and the team's segments; the customers who sign up during
the round from ``(s, r)`` only (:meth:`World.at`: every team of a class sees the same newcomers,
who join every team's world from the next round on). Loading a game rebuilds the world's state by
replaying its active plans, so the same files always give the same state.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cvmlib.display import register_labels
from cvmlib.i18n import N_, _
from cvmlib.progress import LOG_FOLDER, log_dir
from cvmlib.sandbox.plan import Plan, draw_holdout
from cvmlib.sandbox.response import play_arrivals, simulate_round
from cvmlib.sandbox.results import RoundResult, measure
from cvmlib.sandbox.world import State, World
from cvmlib.validate import InputError, require_int

__all__ = ["Attempt", "Game", "SANDBOX_FOLDER", "default_folder", "game_folder", "find_games"]

#: Sub-folder of the log folder (``.cvm``) holding every team's games.
SANDBOX_FOLDER = "sandbox"
_TEAM = re.compile(r"[\w-]{1,40}")
_FILE = re.compile(r"round-(\d+)-attempt-(\d+)\.json")
FORMAT_VERSION = 1


def _check_team(team: Any) -> str:
    if not isinstance(team, str) or not _TEAM.fullmatch(team) or team.startswith("-"):
        raise InputError(_("team={team!r} must be a short name of letters, digits, '_' or '-' (at most 40), e.g. "
                           "'team_red'.").format(team=team))
    return team


def game_folder(folder: str | os.PathLike[str], team: str) -> Path:
    """Where a team's files live: ``<folder>/.cvm/sandbox/<team>/``."""
    return Path(folder) / LOG_FOLDER / SANDBOX_FOLDER / _check_team(team)


#: The groups of :meth:`Game.outcomes` and their display names ("new": the customers who signed up in the round).
GROUP_LABELS: dict[str, str] = {
    "treated": N_("treated"),
    "holdout": N_("holdout"),
    "untreated": N_("segment given nothing"),
    "unassigned": N_("in no segment"),
    "new": N_("new"),
}
register_labels(GROUP_LABELS)

_scratch: list[Path] = []


def default_folder() -> Path:
    """Where a workbook keeps its team's game: beside its progress log (``./.cvm/`` of the workbook's folder,
    or the parent of ``$CVM_PROGRESS_DIR``), so the class report finds both in a participant's home.

    While progress logging is off (``CVM_PROGRESS=off``: the book build, the test runs) it is a temporary
    folder of this process instead: a build never writes into the sources, and every build plays afresh.
    """
    logs = log_dir()
    if logs is not None:
        return logs.parent
    if not _scratch:
        _scratch.append(Path(tempfile.mkdtemp(prefix="cvm-sandbox-")))
    return _scratch[0]


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Write atomically: a temporary file in the same folder, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class Attempt:
    """One submitted plan and its result; ``active`` is False once the round was replayed."""

    round: int
    attempt: int
    active: bool
    submitted_at: str
    plan: Plan
    result: RoundResult

    @property
    def file_name(self) -> str:
        return f"round-{self.round:02d}-attempt-{self.attempt:02d}.json"

    def to_dict(self) -> dict[str, Any]:
        return {"round": self.round, "attempt": self.attempt, "active": self.active,
                "submitted_at": self.submitted_at, "plan": self.plan.to_dict(), "result": self.result.to_dict()}


class Game:
    """A team's sandbox game (make one with :meth:`new`, open it again with :meth:`load`).

    Examples
    --------
    >>> import tempfile
    >>> from cvmlib.sandbox import Plan, World
    >>> facts = World.retailer().customers
    >>> seg = (facts["orders"] >= 3).map({True: "regular", False: "rare"})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     game = Game.new("blue", seed=1, folder=folder)
    ...     first = game.submit(Plan(seg, {"regular": {"loyalty_points": 50_000}}))
    ...     again = game.replay(1, Plan(seg, {"regular": {"cross_sell": 20_000}}))
    ...     [(a.round, a.attempt, a.active) for a in Game.load(folder, "blue").attempts]
    [(1, 1, False), (1, 2, True)]
    """

    def __init__(self, team: str, seed: int, folder: Path, attempts: list[Attempt]) -> None:
        self.team = team
        self.seed = seed
        self.path = folder
        self.attempts = attempts
        self._states: dict[int, State] = {}

    @property
    def world(self) -> World:
        """The world the next round is played in: the retailer and every customer who signed up so far.

        Loaded on first use (reading results needs no data). Worlds only grow, so
        ``game.state_before(r).customers(game.world)`` works for every round ``r`` played.
        """
        return self.world_before(self.round + 1)

    def world_before(self, round_no: int) -> World:
        """The world at the start of round ``round_no``: the retailer and the newcomers of rounds 1 .. round_no - 1."""
        return World.at(self.seed, int(round_no))

    # --- making and opening -------------------------------------------------------------------
    @classmethod
    def new(cls, team: str, seed: int, folder: str | os.PathLike[str] = ".", *, overwrite: bool = False) -> Game:
        """Start a game for ``team`` (files under ``<folder>/.cvm/sandbox/<team>/``)."""
        seed = require_int(seed, "seed", minimum=0)
        path = game_folder(folder, team)
        if (path / "game.json").exists() and not overwrite:
            raise InputError(_("Team {team!r} already has a game in {path}: open it with Game.load(folder, team), "
                               "or pass overwrite=True to start again (the old files are kept aside).").format(
                                   team=team, path=str(path)))
        if path.exists() and overwrite:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
            path.rename(path.with_name(f"{path.name}.old-{stamp}"))
        _write_json(path / "game.json", {"team": team, "seed": seed, "version": FORMAT_VERSION,
                                         "created": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        return cls(team, seed, path, [])

    @classmethod
    def load(cls, folder: str | os.PathLike[str], team: str) -> Game:
        """Open a team's game from ``folder`` (the folder given to :meth:`new`)."""
        path = game_folder(folder, team)
        meta_file = path / "game.json"
        if not meta_file.is_file():
            raise InputError(_("No sandbox game of team {team!r} in {path}: start one with Game.new(team, seed, "
                               "folder).").format(team=team, path=str(path)))
        return cls.from_path(path)

    @classmethod
    def open(cls, team: str, seed: int, folder: str | os.PathLike[str] | None = None) -> Game:
        """The team's game: loaded if it exists (nothing played is lost), else started with ``seed``.

        ``folder`` defaults to :func:`default_folder`. A stored game started with another seed is refused
        (its rounds were played in another class's world).

        Examples
        --------
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     first = Game.open("green", seed=3, folder=folder)
        ...     again = Game.open("green", seed=3, folder=folder)
        >>> (again.team, again.seed, again.round)
        ('green', 3, 0)
        """
        where = default_folder() if folder is None else Path(folder)
        seed = require_int(seed, "seed", minimum=0)
        if not (game_folder(where, team) / "game.json").is_file():
            return cls.new(team, seed, where)
        game = cls.load(where, team)
        if game.seed != seed:
            raise InputError(_("Team {team!r} already plays with seed {stored} (in {path}), not {seed}: set SEED "
                               "back to {stored}, or start again with Game.new(team, seed, folder, overwrite=True) "
                               "(the old files are kept aside).").format(team=team, stored=game.seed, seed=seed,
                                                                         path=str(game.path)))
        return game

    @classmethod
    def from_path(cls, path: Path) -> Game:
        """Open the game stored in a team folder (``.../.cvm/sandbox/<team>``)."""
        meta = json.loads((path / "game.json").read_text(encoding="utf-8"))
        attempts = []
        for file in sorted(path.glob("round-*-attempt-*.json")):
            if not _FILE.fullmatch(file.name):
                continue
            data = json.loads(file.read_text(encoding="utf-8"))
            attempts.append(Attempt(int(data["round"]), int(data["attempt"]), bool(data["active"]),
                                    str(data["submitted_at"]), Plan.from_dict(data["plan"]),
                                    RoundResult.from_dict(data["result"])))
        attempts.sort(key=lambda a: (a.round, a.attempt))
        return cls(str(meta["team"]), int(meta["seed"]), path, attempts)

    # --- reading ------------------------------------------------------------------------------
    @property
    def _active(self) -> list[Attempt]:
        return sorted((a for a in self.attempts if a.active), key=lambda a: a.round)

    @property
    def round(self) -> int:
        """Rounds played (the active line of play)."""
        return len(self._active)

    @property
    def results(self) -> list[RoundResult]:
        """The active result of each played round, in order."""
        return [a.result for a in self._active]

    @property
    def plans(self) -> list[Plan]:
        """The active plan of each played round, in order."""
        return [a.plan for a in self._active]

    def state_before(self, round_no: int) -> State:
        """The world's state at the start of round ``round_no`` (replaying the active plans)."""
        round_no = require_int(round_no, "round", minimum=1, maximum=self.round + 1)
        active = self._active
        if 0 not in self._states:
            self._states[0] = State.start(self.world_before(1))
        for r in range(1, round_no):
            if r not in self._states:
                self._states[r] = self._play(active[r - 1].plan, r, self._states[r - 1])[1]
        return self._states[round_no - 1]

    def customers(self) -> pd.DataFrame:
        """The participant view at the start of the next round: observed facts, the sandbox's rounds included."""
        return self.state_before(self.round + 1).customers(self.world)

    # --- playing ------------------------------------------------------------------------------
    def _round(self, plan: Plan, round_no: int, state: State) -> tuple[World, np.ndarray, np.ndarray, Any, Any]:
        """Round ``round_no`` from ``state``: world, labels, holdout, outcome, newcomers (deterministic)."""
        world = self.world_before(round_no)
        labels = plan.labels_for(world)
        holdout = draw_holdout(labels, self.seed, round_no)
        spend = plan.spend_per_customer(world, holdout)
        rng = np.random.default_rng(np.random.SeedSequence([self.seed, round_no]))
        outcome = simulate_round(world, state, spend, rng)
        return world, labels, holdout, outcome, play_arrivals(self.seed, round_no, world)

    def _play(self, plan: Plan, round_no: int, state: State, attempt: int = 0) -> tuple[RoundResult, State]:
        """Play round ``round_no`` from ``state``: the result and the state after it (newcomers appended)."""
        _world, labels, holdout, outcome, arrivals = self._round(plan, round_no, state)
        cost = plan.spend_table().sum(axis=1)
        result = measure(self.team, round_no, attempt, labels, holdout, cost, state, outcome, arrivals=arrivals)
        return result, arrivals.extend(outcome.state)

    def outcomes(self, round_no: int) -> pd.DataFrame:
        """Per-customer outcomes of played round ``round_no`` (its active plan), index customer_id.

        Columns: ``segment`` (the team's label; None for customers the plan leaves out), ``group``
        (``"treated"``, ``"holdout"``, ``"untreated"`` for a segment the plan gave no money,
        ``"unassigned"`` for customers in no segment, ``"new"`` for the customers who signed up during
        the round, last), ``orders``, ``revenue``, ``discount``, ``cost``, ``profit`` (margin x revenue -
        discount - cost, yuan) and ``previous_profit`` (the regression adjustment's covariate: the
        profit of the previous quarter; 0 for the newcomers). The round's table
        (:attr:`RoundResult.table`) is computed from exactly these figures.
        """
        if self.round == 0:
            raise InputError(_("No round has been played yet: submit a plan first."))
        round_no = require_int(round_no, "round", minimum=1, maximum=self.round)
        state = self.state_before(round_no)
        plan = self.plans[round_no - 1]
        world, labels, holdout, outcome, arrivals = self._round(plan, round_no, state)
        spent = plan.spend_table().sum(axis=1)
        present = np.array([v is not None for v in labels])
        funded = np.array([v is not None and float(spent.get(v, 0.0)) > 0 for v in labels])
        group = np.where(~present, "unassigned", np.where(holdout, "holdout", np.where(funded, "treated",
                                                                                        "untreated")))
        previous = state.previous_profit if state.previous_profit is not None else np.zeros(len(world))
        n_new = len(arrivals)
        frame = pd.DataFrame({
            "segment": np.concatenate([labels, np.full(n_new, None, dtype=object)]),
            "group": np.concatenate([group, np.full(n_new, "new")]),
            "orders": np.concatenate([outcome.orders, arrivals.orders]).astype(np.int64),
            "revenue": np.concatenate([outcome.revenue, arrivals.revenue]),
            "discount": np.concatenate([outcome.discount, np.zeros(n_new)]),
            "cost": np.concatenate([outcome.cost, np.zeros(n_new)]),
            "profit": np.concatenate([outcome.profit, arrivals.profit]),
            "previous_profit": np.concatenate([previous, np.zeros(n_new)]),
        }, index=world.ids.append(arrivals.arrivals.world.ids))
        frame.index.name = "customer_id"
        return frame

    def _record(self, plan: Plan, round_no: int) -> RoundResult:
        state = self.state_before(round_no)
        attempt = 1 + max((a.attempt for a in self.attempts if a.round == round_no), default=0)
        result, after = self._play(plan, round_no, state, attempt)
        entry = Attempt(round_no, attempt, True, datetime.now(timezone.utc).isoformat(timespec="seconds"), plan,
                        result)
        _write_json(self.path / entry.file_name, entry.to_dict())
        self.attempts.append(entry)
        self._states[round_no] = after
        return result

    def submit(self, plan: Plan) -> RoundResult:
        """Play the next round with ``plan`` and keep plan and result on disk."""
        if not isinstance(plan, Plan):
            raise InputError(_("submit() needs a Plan(segments, budget); got {type}.").format(type=type(plan).__name__))
        plan.check(self.world)  # the world of the next round, newcomers of earlier rounds included
        return self._record(plan, self.round + 1)

    def replay(self, round_no: int, plan: Plan) -> RoundResult:
        """Play round ``round_no`` again with a new plan; it and later rounds' old attempts are set aside.

        Nothing is deleted: set-aside attempts stay in :attr:`attempts` (``active=False``) and on disk.
        After a replay of round r the game continues with round r + 1.
        """
        round_no = require_int(round_no, "round", minimum=1, maximum=max(self.round, 1))
        if not isinstance(plan, Plan):
            raise InputError(_("replay() needs a Plan(segments, budget); got {type}.").format(type=type(plan).__name__))
        plan.check(self.world_before(round_no))
        self.state_before(round_no)  # rebuild the state from the current line before setting it aside
        for entry in self.attempts:
            if entry.active and entry.round >= round_no:
                entry.active = False
                _write_json(self.path / entry.file_name, entry.to_dict())
        self._states = {r: s for r, s in self._states.items() if r < round_no}
        return self._record(plan, round_no)

    def __repr__(self) -> str:
        return f"Game(team={self.team!r}, seed={self.seed}, rounds={self.round}, attempts={len(self.attempts)})"


def find_games(folder: str | os.PathLike[str]) -> list[Game]:
    """Every game stored under ``folder`` (``.cvm/sandbox/*/game.json`` at any depth), by team."""
    root = Path(folder)
    games = []
    for meta in sorted(root.rglob(f"{LOG_FOLDER}/{SANDBOX_FOLDER}/*/game.json")):
        try:
            games.append(Game.from_path(meta.parent))
        except (OSError, ValueError, KeyError, InputError):
            continue  # a broken or half-copied folder: the rest of the class still shows
    return sorted(games, key=lambda g: g.team)
