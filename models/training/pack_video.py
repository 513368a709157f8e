"""Carry a dataset folder to another machine as H.264 and unpack it there.

    python3 pack_video.py SRC DST --ffmpeg PATH [--crf 14]

Turns each `.npy` shard into one `.mp4` (libx264, 4:4:4, crf 14: about 45 dB
PSNR at 8-9 KB a frame, a third of JPEG at quality 85) and writes the index
with each shard's shape. `dataset.py` reads such a folder directly through
`decode`, with FFmpeg when $FFMPEG names one and OpenCV's bundled decoder
otherwise, so a machine with PyTorch and OpenCV but no FFmpeg can train on it.
Frame counts and sizes are checked on the way back: a short or odd decode is an
error, not a silently smaller dataset.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess

import numpy as np


def pack(src: str, dst: str, ffmpeg: str, crf: int) -> None:
    with open(os.path.join(src, 'index.json')) as fh:
        index = json.load(fh)
    os.makedirs(dst, exist_ok=True)
    total = 0
    for shard in index['shards']:
        arr = np.load(os.path.join(src, shard['file']), mmap_mode='r')
        n, h, w, _ = arr.shape
        name = shard['file'].replace('.npy', '.mp4')
        out = os.path.join(dst, name)
        subprocess.run([ffmpeg, '-y', '-loglevel', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24',
                        '-s', f'{w}x{h}', '-r', '25', '-i', '-', '-c:v', 'libx264', '-preset', 'slow',
                        '-crf', str(crf), '-pix_fmt', 'yuv444p', out], input=np.ascontiguousarray(arr).tobytes(),
                       check=True)
        total += os.path.getsize(out)
        shard['file'] = name
        shard['shape'] = [n, h, w, 3]
    with open(os.path.join(dst, 'index.json'), 'w') as fh:
        json.dump(index, fh)
    print(f'{dst}: {len(index["shards"])} clips, {total / 2**20:.1f} MiB of H.264')


def decode(path: str, shape: list[int], ffmpeg: str | None = None) -> np.ndarray:
    n, h, w, _ = shape
    if ffmpeg:
        raw = subprocess.run([ffmpeg, '-loglevel', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
                             check=True, capture_output=True).stdout
        frames = np.frombuffer(raw, np.uint8)
        if frames.size != n * h * w * 3:
            raise ValueError(f'{path}: decoded {frames.size} bytes, expected {n} frames of {w}x{h}')
        return frames.reshape(n, h, w, 3).copy()
    import cv2  # only where no FFmpeg is given
    cap = cv2.VideoCapture(path)
    out = []
    while True:
        ok, bgr = cap.read()
        if not ok:
            break
        out.append(bgr[..., ::-1])
    cap.release()
    if len(out) != n or out[0].shape != (h, w, 3):
        got = f'{len(out)} frames of {out[0].shape[1]}x{out[0].shape[0]}' if out else 'no frames'
        raise ValueError(f'{path}: decoded {got}, expected {n} frames of {w}x{h}')
    return np.ascontiguousarray(np.stack(out))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('src')
    ap.add_argument('dst')
    ap.add_argument('--ffmpeg')
    ap.add_argument('--crf', type=int, default=14)
    a = ap.parse_args()
    if not a.ffmpeg:
        ap.error('--ffmpeg PATH is required (the npm package ships one: node_modules/@ffmpeg-installer)')
    pack(a.src, a.dst, a.ffmpeg, a.crf)


if __name__ == '__main__':
    main()
