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


def detect_language(text: str) -> str | None:
    """ "en" or "fr" when the question says so clearly, None when it does not (names only, say)."""
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
