"""Repack a dataset folder with JPEG frames instead of .npy shards (small
enough to carry to another machine): python3 pack_jpeg.py SRC DST [--quality 85]
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
from PIL import Image


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('src')
    ap.add_argument('dst')
    ap.add_argument('--quality', type=int, default=85)
    a = ap.parse_args()
    with open(os.path.join(a.src, 'index.json')) as fh:
        index = json.load(fh)
    os.makedirs(a.dst, exist_ok=True)
    total = 0
    for shard in index['shards']:
        arr = np.load(os.path.join(a.src, shard['file']), mmap_mode='r')
        name = shard['file'].replace('.npy', '.jpgs')
        os.makedirs(os.path.join(a.dst, name), exist_ok=True)
        for i in range(arr.shape[0]):
            p = os.path.join(a.dst, name, f'{i:06d}.jpg')
            Image.fromarray(np.asarray(arr[i])).save(p, 'JPEG', quality=a.quality)
            total += os.path.getsize(p)
        shard['file'] = name
    with open(os.path.join(a.dst, 'index.json'), 'w') as fh:
        json.dump(index, fh)
    print(f'{a.dst}: {total / 2**20:.1f} MiB of JPEG')


if __name__ == '__main__':
    main()
