"""Gradient-boosted regression trees evaluated with NumPy, all trees at once.

The trees come from LightGBM at training time (``scripts/train_summarizer.py``) and are
stored as flat node arrays, so running them needs only NumPy: for each sentence every
tree's current node moves one level down per step, and a leaf points to itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Forest:
    """Flat node arrays of many trees; a leaf has ``feature == -1`` and its own index as
    both children."""

    feature: np.ndarray  # int16 per node: the feature it splits on, -1 for a leaf
    threshold: np.ndarray  # float64 per node: go left when the value is <= threshold
    left: np.ndarray  # int32 per node
    right: np.ndarray  # int32 per node
    value: np.ndarray  # float64 per node: the leaf's output (0 for inner nodes)
    roots: np.ndarray  # int32 per tree
    depth: int  # the deepest leaf's depth

    def predict(self, features: np.ndarray) -> np.ndarray:
        """The summed output of every tree for each row of ``features`` (rows x columns)."""
        rows = features.shape[0]
        if rows == 0:
            return np.zeros(0)
        node = np.repeat(self.roots[:, None], rows, axis=1)  # trees x rows
        row_index = np.arange(rows)[None, :]
        # A leaf's feature is -1: read column 0 and ignore it, the leaf points to itself.
        column = np.maximum(self.feature, 0)
        for _ in range(self.depth):
            values = features[row_index, column[node]]
            node = np.where(values <= self.threshold[node], self.left[node], self.right[node])
        return self.value[node].sum(axis=0)


def forest_from_lightgbm(dump: dict) -> Forest:
    """A :class:`Forest` from LightGBM's ``Booster.dump_model()`` (numerical splits only)."""
    feature: list[int] = []
    threshold: list[float] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    roots: list[int] = []
    deepest = 0

    def add(node: dict, depth: int) -> int:
        nonlocal deepest
        index = len(feature)
        feature.append(-1)
        threshold.append(0.0)
        left.append(index)
        right.append(index)
        value.append(0.0)
        if "leaf_value" in node:
            value[index] = float(node["leaf_value"])
            deepest = max(deepest, depth)
            return index
        if node.get("decision_type", "<=") != "<=":
            raise ValueError(f"unsupported split {node.get('decision_type')!r}")
        feature[index] = int(node["split_feature"])
        threshold[index] = float(node["threshold"])
        left[index] = add(node["left_child"], depth + 1)
        right[index] = add(node["right_child"], depth + 1)
        return index

    for tree in dump["tree_info"]:
        roots.append(add(tree["tree_structure"], 0))
    return Forest(
        feature=np.array(feature, dtype=np.int16),
        threshold=np.array(threshold, dtype=np.float64),
        left=np.array(left, dtype=np.int32),
        right=np.array(right, dtype=np.int32),
        value=np.array(value, dtype=np.float64),
        roots=np.array(roots, dtype=np.int32),
        depth=deepest,
    )
