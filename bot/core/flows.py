"""The talent flows as a picture: organisations as nodes, moves as arrows from old to new employer.

Drawn with matplotlib's Agg backend (no display, no system binary) on a `Figure` of its own, not
pyplot, so pictures can be drawn in worker threads without shared state. Sized and lettered for
Discord's inline preview (about 550 px wide: every text is drawn at twice that), in colours that
read on Discord's dark theme, and never by colour alone (solid or dashed arrows, signed counts).

No Discord in here: the same bytes go to `/flows` and to `python -m bot flows --out FILE.png`.
"""

from __future__ import annotations

import io
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from .models import Entity, Transfer
from .since import on_or_after

UNKNOWN = "?"  # the node for a destination (or an origin) the sources do not give
OTHERS = "…"  # the node standing for organisations beyond MAX_NODES

# What fits in one readable picture.
MAX_NODES = 9
MAX_EDGES = 14
MAIN_NAMES = 2  # names written on an arrow; the rest are "+n"
SUMMARY_FLOWS = 5  # flows spelled out in the one-line text summary

# 1200 x 760 px, shown by Discord at about half that: fonts are twice the size they should read.
FIG_SIZE = (12.0, 7.6)
DPI = 100
NODE_FONT = 22
EDGE_FONT = 16
TITLE_FONT = 24
LEGEND_FONT = 16
NODE_MIN, NODE_MAX = 0.11, 0.2  # node radius in axes units, by how many moves touch it
ARC = 0.18  # curvature of arrows, so A → B and B → A do not overlap
ARC_STEP = 0.32  # more curvature for each further arrow between the same two organisations

# Discord's dark theme (background #313338) and its palette.
BACKGROUND = "#313338"
TEXT = "#F2F3F5"
MUTED = "#B5BAC1"
GAINS = "#5865F2"  # blurple: gains more people than it loses
LOSES = "#F0B232"  # amber: loses more than it gains
EVEN = "#80848E"
CONFIRMED = "#F2F3F5"
UNCONFIRMED = "#949BA4"

TEXTS = {
    "title": {"en": "AI talent flows", "fr": "Flux de talents de l'IA"},
    "since": {"en": "since {date}", "fr": "depuis le {date}"},
    "unknown": {"en": "unknown", "fr": "inconnue"},
    "others": {"en": "others", "fr": "autres"},
    "confirmed": {"en": "confirmed move", "fr": "départ confirmé"},
    "unconfirmed": {"en": "reported or considered", "fr": "rapporté ou envisagé"},
    "gains": {"en": "gains people", "fr": "gagne des talents"},
    "loses": {"en": "loses people", "fr": "perd des talents"},
    "none": {"en": "No move known", "fr": "Aucun mouvement connu"},
    "summary": {
        "en": "{moves} move(s) between {orgs} organisation(s): {flows}.",
        "fr": "{moves} mouvement(s) entre {orgs} organisation(s) : {flows}.",
    },
    "more": {"en": "and {n} more", "fr": "et {n} de plus"},
    "empty_summary": {"en": "No move known{scope}.", "fr": "Aucun mouvement connu{scope}."},
}


def _t(key: str, lang: str, **kw: object) -> str:
    text = TEXTS[key]["fr" if lang == "fr" else "en"]
    return text.format(**kw) if kw else text


@dataclass(frozen=True)
class Flow:
    """Moves from one organisation to another with the same certainty."""

    source: str  # organisation name, UNKNOWN or OTHERS
    target: str
    people: tuple[str, ...]  # who moved (a person, or a team), most recent first
    confirmed: bool

    @property
    def count(self) -> int:
        return len(self.people)

    def names(self, limit: int = MAIN_NAMES) -> str:
        shown = ", ".join(self.people[:limit])
        return shown + (f" +{self.count - limit}" if self.count > limit else "")


def top_level(entities: Mapping[str, Entity], entity_id: str | None) -> str | None:
    """The organisation a lab or team belongs to (Meta for its superintelligence lab)."""
    seen: set[str] = set()
    while entity_id and entity_id in entities and entities[entity_id].parent and entity_id not in seen:
        seen.add(entity_id)
        entity_id = entities[entity_id].parent
    return entity_id


def flows(
    transfers: Sequence[Transfer], entities: Mapping[str, Entity], since: datetime | None = None
) -> list[Flow]:
    """Transfers grouped by (old employer, new employer, confirmed), biggest first; with `since`,
    only dated moves on or after it. Teams and labs count as the organisation they belong to."""

    def name(entity_id: str | None) -> str:
        org = top_level(entities, entity_id)
        if org is None:
            return UNKNOWN
        ent = entities.get(org)
        return ent.name if ent else org

    grouped: dict[tuple[str, str, bool], list[str]] = {}
    for t in transfers:
        if since is not None and not on_or_after(t.date, since):
            continue
        if t.from_org is None and t.to_org is None:
            continue
        source, target = name(t.from_org), name(t.to_org)
        if source == target:
            continue  # a move inside one organisation is not a flow between two
        who = entities[t.who].name if t.who in entities else t.who
        grouped.setdefault((source, target, t.status == "confirmed"), []).append(who)
    out = [Flow(s, d, tuple(people), c) for (s, d, c), people in grouped.items()]
    out.sort(key=lambda f: (-f.count, not f.confirmed, f.source, f.target))
    return _fold_small(out)


def _fold_small(found: list[Flow]) -> list[Flow]:
    """At most MAX_EDGES arrows between at most MAX_NODES organisations: the smallest ones are
    drawn as one "others" node rather than as an unreadable tangle."""
    volume: Counter[str] = Counter()
    for f in found:
        volume[f.source] += f.count
        volume[f.target] += f.count
    if len(volume) <= MAX_NODES and len(found) <= MAX_EDGES:
        return found
    keep = {n for n, _ in volume.most_common(MAX_NODES - 1)}
    merged: dict[tuple[str, str, bool], list[str]] = {}
    for f in found:
        s = f.source if f.source in keep else OTHERS
        d = f.target if f.target in keep else OTHERS
        if s != d:
            merged.setdefault((s, d, f.confirmed), []).extend(f.people)
    out = [Flow(s, d, tuple(p), c) for (s, d, c), p in merged.items()]
    out.sort(key=lambda f: (-f.count, not f.confirmed, f.source, f.target))
    return out[:MAX_EDGES]


def _label(node: str, lang: str) -> str:
    if node == UNKNOWN:
        return f"? ({_t('unknown', lang)})"
    if node == OTHERS:
        return _t("others", lang)
    return node


def summary(found: Sequence[Flow], lang: str, scope: str = "") -> str:
    """One line for screen readers (and the message text): the flows in words."""
    if not found:
        return _t("empty_summary", lang, scope=f" ({scope})" if scope else "")
    orgs = {f.source for f in found} | {f.target for f in found}
    parts = [
        f"{_label(f.source, lang)} → {_label(f.target, lang)} {f.count} ({f.names(3)})"
        for f in found[:SUMMARY_FLOWS]
    ]
    if len(found) > SUMMARY_FLOWS:
        parts.append(_t("more", lang, n=len(found) - SUMMARY_FLOWS))
    moves = sum(f.count for f in found)
    text = _t("summary", lang, moves=moves, orgs=len(orgs), flows="; ".join(parts))
    return (f"{scope} : {text}" if lang == "fr" else f"{scope}: {text}") if scope else text


def _layout(nodes: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Nodes on an ellipse, the busiest first at the left, so arrows cross the middle."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    rx, ry = 1.05, 0.46
    return {
        n: (-rx * math.cos(2 * math.pi * k / len(nodes)), ry * math.sin(2 * math.pi * k / len(nodes)))
        for k, n in enumerate(nodes)
    }


def render_png(found: Sequence[Flow], lang: str = "en", subtitle: str = "") -> bytes:
    """The picture of `found` as PNG bytes (a placeholder saying so when there is no move)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, FancyArrowPatch

    fig = Figure(figsize=FIG_SIZE, dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.0, 0.09, 1.0, 0.8))
    ax.set_facecolor(BACKGROUND)
    ax.set_xlim(-1.55, 1.55)
    ax.set_ylim(-0.83, 0.83)
    ax.set_aspect("equal")
    ax.axis("off")
    title = _t("title", lang) + (f" · {subtitle}" if subtitle else "")
    fig.text(0.02, 0.95, title, color=TEXT, fontsize=TITLE_FONT, fontweight="bold", va="center")

    if not found:
        ax.text(0, 0, _t("none", lang), color=MUTED, fontsize=TITLE_FONT, ha="center", va="center")
        return _png(fig)

    gained: Counter[str] = Counter()
    volume: Counter[str] = Counter()
    for f in found:
        gained[f.target] += f.count
        gained[f.source] -= f.count
        volume[f.source] += f.count
        volume[f.target] += f.count
    nodes = [n for n, _ in volume.most_common()]
    pos = _layout(nodes)
    busiest = max(volume.values())

    def radius(node: str) -> float:
        return NODE_MIN + (NODE_MAX - NODE_MIN) * math.sqrt(volume[node] / busiest)

    points_per_unit = fig.get_figwidth() * 72 / 3.1  # the x range spans 3.1 units
    parallel: Counter[tuple[str, str]] = Counter()
    for f in found:
        (x1, y1), (x2, y2) = pos[f.source], pos[f.target]
        rad = ARC + ARC_STEP * parallel[(f.source, f.target)]
        parallel[(f.source, f.target)] += 1
        width = 2.5 + 1.5 * min(f.count, 6)
        arrow = FancyArrowPatch(
            (x1, y1),
            (x2, y2),
            connectionstyle=f"arc3,rad={rad}",
            arrowstyle="-|>",
            mutation_scale=22 + 3 * min(f.count, 6),
            linewidth=width,
            linestyle="-" if f.confirmed else (0, (4, 2.5)),
            color=CONFIRMED if f.confirmed else UNCONFIRMED,
            shrinkA=radius(f.source) * points_per_unit + 2,
            shrinkB=radius(f.target) * points_per_unit + 4,
            zorder=2,
        )
        ax.add_patch(arrow)
        # The middle of an arc3 curve: halfway to its control point.
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        lx, ly = mx + 0.5 * rad * (y2 - y1), my - 0.5 * rad * (x2 - x1)
        ax.text(
            lx,
            ly,
            f"{f.count} · {f.names()}",
            color=TEXT,
            fontsize=EDGE_FONT,
            ha="center",
            va="center",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.3", "facecolor": BACKGROUND, "edgecolor": "none", "alpha": 0.9},
        )
    for node in nodes:
        x, y = pos[node]
        net = gained[node]
        colour = EVEN if node in (UNKNOWN, OTHERS) else GAINS if net > 0 else LOSES if net < 0 else EVEN
        ax.add_patch(Circle((x, y), radius(node), facecolor=colour, edgecolor=TEXT, linewidth=2, zorder=3))
        ax.text(
            x,
            y,
            f"{net:+d}".replace("-", "−"),
            color="#FFFFFF",
            fontsize=NODE_FONT,
            fontweight="bold",
            ha="center",
            va="center",
            zorder=5,
        )
        below = y - radius(node) - 0.05 if y <= 0.05 else y + radius(node) + 0.05
        ax.text(
            x,
            below,
            _label(node, lang),
            color=TEXT,
            fontsize=NODE_FONT,
            fontweight="bold",
            ha="center",
            va="top" if y <= 0.05 else "bottom",
            zorder=5,
        )
    handles = [
        Line2D([], [], color=CONFIRMED, linewidth=4, label=_t("confirmed", lang)),
        Line2D(
            [], [], color=UNCONFIRMED, linewidth=4, linestyle=(0, (4, 2.5)), label=_t("unconfirmed", lang)
        ),
        Line2D([], [], color=GAINS, marker="o", markersize=16, linestyle="none", label=_t("gains", lang)),
        Line2D([], [], color=LOSES, marker="o", markersize=16, linestyle="none", label=_t("loses", lang)),
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=4,
        frameon=False,
        fontsize=LEGEND_FONT,
        labelcolor=MUTED,
        bbox_to_anchor=(0.5, 0.0),
    )
    return _png(fig)


def _png(fig: object) -> bytes:
    buf = io.BytesIO()
    # No software/date metadata: the same flows give the same bytes (the README's picture).
    fig.savefig(buf, format="png", facecolor=BACKGROUND, metadata={"Software": None})  # type: ignore[attr-defined]
    return buf.getvalue()
