"""Which language a question is written in (English or French), from its function words.

Questions are short and full of names, so a word-list vote beats a statistical model here:
names count for neither side, and accents or elisions tip a tie toward French.
"""

from __future__ import annotations

import re

from .text import fold, tokens

EN_WORDS = frozenset(
    """a about after all an and any anyone are as at be been before being but by can could did do does
    doing done for from get got had has have he her him his how i if in into is it its just know
    left many me more most much my of on or our out over paid pay said say she should so some than that
    the their them then there these they this those to us was we were what when where which who whom
    whose why will with would you your tell give list show any anything happened joined join joining
    leave leaving hire hired hiring salary worth offered offer""".split()
)
FR_WORDS = frozenset(
    """au aux avec c ce cela ces cet cette chez combien comment d dans de des du elle elles en est et
    etait ete eu il ils j je l la le les leur leurs lui m ma mais me moi mon n ne ni nos notre nous on
    ou par pas peu plus pour pourquoi qu quand que quel quelle quelles quels qui quoi s sa sans se ses
    si son sont sur t ta te tes toi ton tu un une vers vos votre vous y a-t-il est-ce rejoint recrute
    recrutes salaire quitte parti partie va sait savoir dis donne liste aussi c'est qu'est-ce il-y-a
    ont avait fait faire touche paye propose offert combien""".split()
)
# Words written the same in both languages carry no vote.
_SHARED = EN_WORDS & FR_WORDS
_FR_MARKERS = re.compile(r"\b(?:[cdjlmnst]|qu)'|[àâçéèêëîïôûùœ]", re.IGNORECASE)


_POSSESSIVE = re.compile(r"(?<=\w)['’]s\b", re.IGNORECASE)


def detect_language(text: str) -> str | None:
    """ "en" or "fr" when the question says so clearly, None when it does not (names only, say).
    An English possessive ("OpenAI's") is English: it is not read as a French elision."""
    text = _POSSESSIVE.sub("", text)
    words = tokens(text)
    en = sum(1 for w in words if w in EN_WORDS and w not in _SHARED)
    fr: float = sum(1 for w in words if w in FR_WORDS and w not in _SHARED)  # markers count half
    normalised = text.replace("\u2019", "'")
    fr += len(_FR_MARKERS.findall(normalised)) * 0.5
    if "-t-" in fold(text):
        fr += 1
    if en == fr:
        return None
    return "en" if en > fr else "fr"


# Function words of the languages people most often try instead (German, Spanish, Italian,
# Portuguese, Dutch), none of them an English or French word: a question made of these gets one
# line saying which languages the bot answers in, not "my sources don't say".
OTHER_WORDS = {
    "de": "wer was wann wie wieviel warum wo ist sind hat wurde welche welcher welches der die das und nicht ein eine zu von mit bei für".split(),
    "es": "quién quien qué cuándo cuando cómo cuánto cuanto dónde donde por qué porqué es son fue ha el los las y una del con para se".split(),
    "it": "chi che cosa quando come quanto dove perché perche è sono ha il gli della di per con una".split(),
    "pt": "quem quando como quanto onde porque é são foi tem o os as um uma do da para com não pagou".split(),
    "nl": "wie wat wanneer hoe hoeveel waar waarom is zijn heeft de het een en van met voor niet".split(),
}
_OTHER = {w: lang for lang, ws in OTHER_WORDS.items() for w in tokens(" ".join(ws))}
_EN_FR = EN_WORDS | FR_WORDS
MIN_OTHER_WORDS = 2


def other_language(text: str) -> str | None:
    """The language code when a question is clearly in neither English nor French."""
    words = tokens(text)
    if not words:
        return None
    if any(w in _EN_FR for w in words):
        return None
    votes: dict[str, int] = {}
    for w in words:
        lang = _OTHER.get(w)
        if lang:
            votes[lang] = votes.get(lang, 0) + 1
    if not votes:
        return None
    lang, n = max(votes.items(), key=lambda kv: kv[1])
    return lang if sum(votes.values()) >= MIN_OTHER_WORDS else None
