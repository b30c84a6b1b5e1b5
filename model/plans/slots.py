"""Fixed-width position trees for plans that place recruits in slots (binary, matrix).

Every participant owns `width` slots for people placed directly below them,
ordered left to right. A slot, once filled, stays filled: people who quit
keep their position (their volume is simply zero).
"""

from __future__ import annotations

import numpy as np


class SlotTree:
    """Who sits in which slot below whom.

    Attributes:
        child: (n, width) int64 array, the person in each slot (-1: open).
        parent: placement parent of each person (-1: the company, or not placed).
    """

    def __init__(self, n_people: int, width: int) -> None:
        """Make an empty tree over `n_people` people with `width` slots each."""
        self.child = np.full((n_people, width), -1, dtype=np.int64)
        self.parent = np.full(n_people, -1, dtype=np.int64)

    @property
    def size(self) -> int:
        """Number of people the tree is sized for."""
        return self.parent.size

    def first_open(self, start: int) -> tuple[int, int]:
        """The first open slot at or below `start`, breadth-first, left to right.

        Searched one level at a time (vectorised within a level), so the cost
        grows with the depth of the first open slot, not the size of the tree.

        Args:
            start: the person whose slots are searched first.

        Returns:
            (person, slot index) of the open slot.
        """
        width = self.child.shape[1]
        frontier = np.array([start], dtype=np.int64)
        while True:
            kids = self.child[frontier].ravel()
            open_slots = np.flatnonzero(kids < 0)
            if open_slots.size:
                first = int(open_slots[0])
                return int(frontier[first // width]), first % width
            frontier = kids

    def outermost(self, start: int, slot: int) -> int:
        """The last person on the chain of `slot` children from `start` (extreme placement)."""
        node = start
        while self.child[node, slot] >= 0:
            node = int(self.child[node, slot])
        return node

    def attach(self, person: int, parent: int, slot: int) -> None:
        """Put `person` in `parent`'s open `slot`."""
        if self.child[parent, slot] >= 0:
            raise ValueError(f"slot {slot} of {parent} is already taken")
        self.child[parent, slot] = person
        self.parent[person] = parent
