"""A tiny synthetic dataset of coloured rectangles in the make-dataset layout.

Proves the loader, loss, training loop and export without the twin:
  python3 toy_data.py OUT_DIR [--frames 256] [--seed 0]
Class k is a rectangle of a distinct aspect and colour; a few boxes go to the
ignore list to exercise that path.
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np

from model import CLASSES

SHAPES = {0: (40, 24), 1: (90, 40), 2: (14, 26), 3: (8, 22)}  # w, h in pixels
COLOURS = {0: (220, 40, 40), 1: (40, 60, 220), 2: (40, 200, 60), 3: (240, 220, 60)}


def make(out: str, frames: int, seed: int, h: int = 288, w: int = 512) -> None:
    rng = np.random.default_rng(seed)
    os.makedirs(out, exist_ok=True)
    imgs = np.zeros((frames, h, w, 3), dtype=np.uint8)
    labels = []
    for f in range(frames):
        img = (rng.normal(90, 12, (h, w, 3))).clip(0, 255)
        boxes, ignore = [], []
        for _ in range(rng.integers(3, 12)):
            k = int(rng.integers(0, len(CLASSES)))
            s = rng.uniform(0.6, 1.6)
            bw, bh = SHAPES[k][0] * s, SHAPES[k][1] * s
            x1, y1 = rng.uniform(0, w - bw), rng.uniform(0, h - bh)
            xi1, yi1, xi2, yi2 = int(x1), int(y1), int(x1 + bw), int(y1 + bh)
            img[yi1:yi2, xi1:xi2] = COLOURS[k]
            box = [float(xi1), float(yi1), float(xi2), float(yi2)]
            (ignore.append(box) if rng.random() < 0.05 else boxes.append([k, *box]))
        imgs[f] = img.astype(np.uint8)
        labels.append({'condition': 'day' if f % 2 else 'night', 'seed': seed, 'frame': f,
                       'boxes': boxes, 'ignore': ignore})
    np.save(os.path.join(out, 'toy.npy'), imgs)
    with open(os.path.join(out, 'index.json'), 'w') as fh:
        json.dump({'height': h, 'width': w, 'classes': CLASSES, 'shards': [{'file': 'toy.npy', 'frames': labels}]}, fh)


if __name__ == '__main__':
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--frames', type=int, default=256)
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    make(a.out, a.frames, a.seed)
