"""Which earlier question a Discord question continues, so "how much did Meta pay him?" means Wang.

A conversation is the same user in the same DM, or in the same channel or thread within a few
minutes; a reply to one of the bot's answers continues that answer's conversation, whoever
replies. The reading itself is bot.core.followup; this module only says what a conversation is
on Discord, and is the one place /ask and free text call (kept apart so it can move into a Cog).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable

from .core.answer import answer
from .core.followup import AnswerFn, Conversations, answer_in_context
from .core.models import Answer

# Tuning: how long a turn may be leaned on.
CHANNEL_SECONDS = 5 * 60  # a channel or thread is shared: after a few minutes a question is new
DM_SECONDS = 30 * 60  # a DM is one conversation; a long pause still ends it
REPLY_SECONDS = 60 * 60  # a reply to an answer says itself which conversation it continues

_TALKS: weakref.WeakKeyDictionary[object, Conversations] = weakref.WeakKeyDictionary()


def conversations_of(bot: object) -> Conversations:
    """The bot's remembered turns (one store per bot, made on first use)."""
    talks = _TALKS.get(bot)
    if talks is None:
        talks = _TALKS[bot] = Conversations(ttl=max(CHANNEL_SECONDS, DM_SECONDS, REPLY_SECONDS))
    return talks


def conversation_key(user_id: int, channel_id: int | None, dm: bool) -> Hashable:
    """The same user in the same DM, or in the same channel or thread."""
    return ("dm", user_id) if dm or channel_id is None else ("channel", channel_id, user_id)


def _answer_key(message_id: int) -> Hashable:
    return ("answer", message_id)


def _max_age(key: Hashable) -> float:
    return DM_SECONDS if isinstance(key, tuple) and key[0] == "dm" else CHANNEL_SECONDS


def in_context(
    bot: object,
    key: Hashable,
    question: str,
    lang: str,
    reply_to: int | None = None,
    compute: AnswerFn = answer,
) -> Callable[[], Answer]:
    """The work a command runs on its answer pool: `question` read with the turn it continues
    (the answer `reply_to` first, else this conversation's last turn), remembered for the next.
    `compute` is the command's own answer function (tests replace it there)."""
    talks = conversations_of(bot)
    previous = talks.get(_answer_key(reply_to), REPLY_SECONDS) if reply_to is not None else None
    if previous is None:
        previous = talks.get(key, _max_age(key))
    store = bot.service.store  # type: ignore[attr-defined]  # the store of the moment it was asked

    def work() -> Answer:
        result, resolved = answer_in_context(store, question, lang, previous, compute=compute)
        talks.put(key, resolved.turn)
        return result

    return work


def remember_answer(bot: object, key: Hashable, message_id: int) -> None:
    """A reply to the message `message_id` (an answer just sent) continues this conversation."""
    talks = conversations_of(bot)
    turn = talks.get(key)
    if turn is not None:
        talks.put(_answer_key(message_id), turn)
