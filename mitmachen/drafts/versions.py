"""Paragraph identity across versions of a draft, and the comparison of two versions.

When staff publish a new version, ``match`` decides which new paragraph *is* which old
one (it then keeps the old one's ``key``: its permalink and identity). The algorithm,
on the paragraphs' texts with whitespace normalised:

1. **In place, unchanged.** ``difflib.SequenceMatcher`` aligns the two sequences of
   texts; paragraphs in its "equal" blocks match (the longest common runs, in order).
2. **Moved, unchanged.** Of the rest, a new paragraph whose text equals an old one's
   matches it (the first unmatched old one with that text, in the order of the text).
3. **Changed.** Of the rest, a pair (old, new) whose word similarity
   (``SequenceMatcher.ratio`` on the words and punctuation, see ``drafts.diff.tokens``)
   reaches ``THRESHOLD`` is a candidate; the candidates are taken greedily, most similar
   first (ties: the smaller distance in position, then the earlier old paragraph), each
   paragraph at most once. Pairs are examined neighbours first (by the distance of
   their ranks among the unmatched paragraphs) and only until ``WORK_LIMIT`` words were
   compared: in a largely rewritten long text, a paragraph that moved far *and* changed
   may then count as dropped and new.
4. What is left is **deleted** (old) or **new** (new).

A matched pair is **moved** when it lies outside the longest chain of pairs that keep
their order (a longest increasing subsequence of the new positions, taken in the order
of the old positions); it is **changed** when its text differs. Every old paragraph is
matched at most once and every new one at most once; two equal texts match in place.

``compare`` shows two published versions side by side by the paragraphs' keys (their
identity), so it works for any two versions, not only neighbours.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from mitmachen.drafts import diff

# Two paragraphs with at least this share of equal words count as the same, changed.
THRESHOLD = 0.5
# How many words step 3 compares at most (the import of a large, wholly rewritten text
# stays within a few seconds; see ``_candidates``).
WORK_LIMIT = 400_000


@dataclass(frozen=True)
class Pair:
    old: int  # position in the old list
    new: int  # position in the new list
    changed: bool
    moved: bool


@dataclass
class Matching:
    pairs: list[Pair] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)  # old positions without a match
    added: list[int] = field(default_factory=list)  # new positions without a match

    def old_for_new(self) -> dict[int, int]:
        return {pair.new: pair.old for pair in self.pairs}


def normalise(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    return [token for token in diff.tokens(text) if not token.isspace()]


def text_diff(old: str, new: str) -> list[diff.Piece]:
    """The word difference between two versions of a paragraph, for reading: a change of
    whitespace alone (a line broken elsewhere) is not shown. ``diff.apply`` of the result
    is still exactly ``new``; the deleted whitespace is left out."""
    pieces: list[diff.Piece] = []
    for piece in diff.word_diff(old, new):
        if piece.op != "equal" and piece.text.isspace():
            if piece.op == "delete":
                continue
            piece = diff.Piece("equal", piece.text)
        if pieces and pieces[-1].op == piece.op:
            pieces[-1] = diff.Piece(piece.op, pieces[-1].text + piece.text)
        else:
            pieces.append(piece)
    return pieces


def similarity(old: str, new: str) -> float:
    """The share of equal words of two texts (0 to 1): ``SequenceMatcher.ratio`` with the
    new words as ``a`` and the old as ``b`` (the ratio is not symmetric; ``match``
    indexes each old text once as ``b``)."""
    return difflib.SequenceMatcher(a=_words(new), b=_words(old), autojunk=False).ratio()


def _kept_in_order(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest run of pairs whose new positions rise with the old ones (patience
    sorting, O(n log n)); the other pairs moved."""
    pairs = sorted(pairs)
    tails: list[int] = []  # new position ending the best chain of each length
    tail_index: list[int] = []  # index in pairs of that end
    previous: list[int] = [-1] * len(pairs)
    for index, (_old, new) in enumerate(pairs):
        length = bisect.bisect_left(tails, new)
        if length == len(tails):
            tails.append(new)
            tail_index.append(index)
        else:
            tails[length] = new
            tail_index[length] = index
        previous[index] = tail_index[length - 1] if length else -1
    kept: set[tuple[int, int]] = set()
    index = tail_index[-1] if tail_index else -1
    while index != -1:
        kept.add(pairs[index])
        index = previous[index]
    return kept


def _candidates(
    a: list[str], b: list[str], rest_old: list[int], rest_new: list[int]
) -> list[tuple[float, int, int, int]]:
    """The pairs of unmatched paragraphs similar enough, as (-ratio, distance, old, new).

    Pairs are examined by the distance of their ranks among the unmatched (neighbours
    first: a paragraph edited in place pairs with distance 0), until ``WORK_LIMIT`` words
    have been compared; ``quick_ratio`` bounds skip hopeless pairs cheaply."""
    words_old = {i: _words(a[i]) for i in rest_old}
    words_new = {j: _words(b[j]) for j in rest_new}
    matchers: dict[int, difflib.SequenceMatcher[str]] = {}
    found: list[tuple[float, int, int, int]] = []
    work = 0
    for distance in range(max(len(rest_old), len(rest_new))):
        for k in range(len(rest_old)):
            for l in (k - distance, k + distance) if distance else (k,):  # noqa: E741
                if not 0 <= l < len(rest_new):
                    continue
                i, j = rest_old[k], rest_new[l]
                work += len(words_old[i]) + len(words_new[j])
                if work > WORK_LIMIT:
                    return found
                compare = matchers.get(i)
                if compare is None:
                    compare = matchers[i] = difflib.SequenceMatcher(autojunk=False)
                    compare.set_seq2(words_old[i])  # seq2 is the one it indexes
                compare.set_seq1(words_new[j])
                if compare.real_quick_ratio() < THRESHOLD or compare.quick_ratio() < THRESHOLD:
                    continue
                ratio = compare.ratio()
                if ratio >= THRESHOLD:
                    found.append((-ratio, abs(i - j), i, j))
    return found


def match(old: Sequence[str], new: Sequence[str]) -> Matching:
    """Which paragraph of ``new`` is which of ``old`` (see the module's description)."""
    a, b = [normalise(t) for t in old], [normalise(t) for t in new]
    found: dict[int, int] = {}  # old position → new position
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            found[block.a + offset] = block.b + offset
    # Moved without a change: equal texts outside the aligned blocks.
    free_old: dict[str, list[int]] = {}
    for i, text in enumerate(a):
        if i not in found:
            free_old.setdefault(text, []).append(i)
    taken_new = set(found.values())
    for j, text in enumerate(b):
        if j not in taken_new and free_old.get(text):
            found[free_old[text].pop(0)] = j
            taken_new.add(j)
    # Changed: the most similar remaining pairs above the threshold.
    rest_old = [i for i in range(len(a)) if i not in found]
    rest_new = [j for j in range(len(b)) if j not in taken_new]
    for _ratio, _distance, i, j in sorted(_candidates(a, b, rest_old, rest_new)):
        if i not in found and j not in taken_new:
            found[i] = j
            taken_new.add(j)
    in_order = _kept_in_order(list(found.items()))
    result = Matching()
    for i, j in sorted(found.items()):
        result.pairs.append(Pair(i, j, changed=a[i] != b[j], moved=(i, j) not in in_order))
    result.deleted = [i for i in range(len(a)) if i not in found]
    result.added = [j for j in range(len(b)) if j not in taken_new]
    return result


@dataclass
class Entry:
    """One paragraph in the comparison of two versions."""

    status: str  # "unchanged", "changed", "moved", "added", "deleted"
    old: Any | None  # the paragraph in the earlier version
    new: Any | None  # the paragraph in the later version
    changed: bool = False
    pieces: list[diff.Piece] = field(default_factory=list)


@dataclass
class Comparison:
    entries: list[Entry]  # the later version's paragraphs in order, then the deleted

    @property
    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(("unchanged", "changed", "moved", "added", "deleted"), 0)
        for entry in self.entries:
            found[entry.status] += 1
        return found

    @property
    def differences(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.status != "unchanged"]


def compare(old: Sequence[Any], new: Sequence[Any]) -> Comparison:
    """Two versions' paragraphs (each in order, with ``key`` and ``text``) compared by
    their keys: the same key is the same paragraph; its text changed or not, its place
    kept or moved (outside the longest chain in order)."""
    old_at = {p.key: index for index, p in enumerate(old)}
    pairs = [(old_at[p.key], index) for index, p in enumerate(new) if p.key in old_at]
    in_order = _kept_in_order(pairs)
    entries: list[Entry] = []
    for index, paragraph in enumerate(new):
        if paragraph.key not in old_at:
            entries.append(Entry("added", None, paragraph))
            continue
        before = old[old_at[paragraph.key]]
        changed = normalise(before.text) != normalise(paragraph.text)
        moved = (old_at[paragraph.key], index) not in in_order
        status = "moved" if moved else "changed" if changed else "unchanged"
        entry = Entry(status, before, paragraph, changed=changed)
        if changed:
            entry.pieces = text_diff(before.text, paragraph.text)
        entries.append(entry)
    keys = {p.key for p in new}
    entries.extend(Entry("deleted", p, None) for p in old if p.key not in keys)
    return Comparison(entries)
