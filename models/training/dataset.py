"""Dataset written by make-dataset.ts, preloaded into memory as uint8 tensors.

Layout of a dataset folder:
  index.json   {"height": H, "width": W, "classes": [...], "shards": [
                  {"file": "x.npy" | "x.mp4", "frames": [
                     {"condition": "day", "seed": 1, "frame": 10,
                      "boxes": [[cls, x1, y1, x2, y2], ...],   # model-input pixels
                      "ignore": [[x1, y1, x2, y2], ...]}, ...]}]}
  x.npy        uint8 [n, H, W, 3] RGB frames (exactly what the runtime feeds)
  x.mp4        H.264 alternative for carrying to another machine (pack_video.py;
               the shard also records its "shape")

Batches are built on the fly from the preloaded tensor: random crop (size a
multiple of 32), horizontal flip, brightness/contrast jitter. Boxes cut to
under 40% of their area by the crop become ignore regions.
"""
from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass

import numpy as np
import torch


@dataclass
class Data:
    images: torch.Tensor  # uint8 [N, H, W, 3]
    gt: torch.Tensor  # float [N, M, 5] cls, x1, y1, x2, y2; cls = -1 padding
    ign: torch.Tensor  # float [N, K, 4]; x2 <= x1 padding
    conditions: list[str]
    classes: list[str]

    def __len__(self) -> int:
        return self.images.shape[0]


def _load_frames(folder: str, shard: dict) -> np.ndarray:
    f = os.path.join(folder, shard['file'])
    if f.endswith('.npy'):
        return np.load(f)
    if f.endswith('.mp4'):  # carried as H.264 (pack_video.py)
        from pack_video import decode

        return decode(f, shard['shape'], os.environ.get('FFMPEG'))
    raise ValueError(f'{f}: unknown shard format (expected .npy or .mp4)')


def load(folder: str, conditions: set[str] | None = None) -> Data:
    with open(os.path.join(folder, 'index.json')) as fh:
        index = json.load(fh)
    imgs, gts, igns, conds = [], [], [], []
    for shard in index['shards']:
        frames = shard['frames']
        keep = [i for i, fr in enumerate(frames) if conditions is None or fr['condition'] in conditions]
        if not keep:
            continue
        arr = _load_frames(folder, shard)
        assert arr.shape[0] == len(frames), f"{shard['file']}: {arr.shape[0]} frames, index says {len(frames)}"
        imgs.append(torch.from_numpy(arr[keep]))
        for i in keep:
            gts.append(frames[i]['boxes'])
            igns.append(frames[i].get('ignore', []))
            conds.append(frames[i]['condition'])
    m = max(1, max(len(g) for g in gts))
    k = max(1, max(len(g) for g in igns))
    gt = torch.full((len(gts), m, 5), -1.0)
    ign = torch.zeros((len(igns), k, 4))
    for i, g in enumerate(gts):
        if g:
            gt[i, : len(g)] = torch.tensor(g, dtype=torch.float32)
    for i, g in enumerate(igns):
        if g:
            ign[i, : len(g)] = torch.tensor(g, dtype=torch.float32)
    return Data(torch.cat(imgs), gt, ign, conds, index['classes'])


def small_boxes(data: Data, cls: int, max_height: float) -> torch.Tensor:
    """[n, 5] frame index, x1, y1, x2, y2 of every box of class `cls` under
    `max_height` model-input pixels: the targets of focused crops."""
    g = data.gt
    m = (g[..., 0] == cls) & ((g[..., 4] - g[..., 2]) < max_height)
    f, j = m.nonzero(as_tuple=True)
    return torch.cat([f[:, None].float(), g[f, j, 1:]], 1)


def batch(data: Data, idx: torch.Tensor, crop: tuple[int, int] | None, gen: torch.Generator,
          augment: bool = True, device: torch.device | None = None,
          around: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """-> float NCHW [0,1] images, gt [B, M, 5], ignore [B, K + M, 4] for the crop,
    on `device` (labels and random draws stay on the CPU until the end).
    `around` [B, 4]: a box each crop must contain, placed at random within it
    (NaN rows: anywhere)."""
    device = device or torch.device('cpu')
    imgs = data.images[idx.to(data.images.device)]
    gt = data.gt[idx].clone()
    ign = data.ign[idx].clone()
    b, h, w, _ = imgs.shape
    if crop is not None and crop != (h, w):
        ch, cw = crop
        oy = torch.randint(0, h - ch + 1, (b,), generator=gen)
        ox = torch.randint(0, w - cw + 1, (b,), generator=gen)
        if around is not None:
            for i in range(b):
                x1, y1, x2, y2 = around[i].tolist()
                if x1 != x1:  # NaN
                    continue
                lo_x, hi_x = max(0, math.ceil(x2) - cw), min(int(x1), w - cw)
                lo_y, hi_y = max(0, math.ceil(y2) - ch), min(int(y1), h - ch)
                if lo_x <= hi_x:
                    ox[i] = int(torch.randint(lo_x, hi_x + 1, (1,), generator=gen))
                if lo_y <= hi_y:
                    oy[i] = int(torch.randint(lo_y, hi_y + 1, (1,), generator=gen))
        imgs = torch.stack([imgs[i, oy[i]: oy[i] + ch, ox[i]: ox[i] + cw] for i in range(b)])
        off = torch.stack([ox, oy, ox, oy], 1).float()[:, None, :]
        valid = gt[..., 0] >= 0
        area0 = (gt[..., 3] - gt[..., 1]) * (gt[..., 4] - gt[..., 2])
        box = gt[..., 1:] - off
        box[..., 0::2] = box[..., 0::2].clamp(0, cw)
        box[..., 1::2] = box[..., 1::2].clamp(0, ch)
        area1 = (box[..., 2] - box[..., 0]) * (box[..., 3] - box[..., 1])
        keep = valid & (area1 >= 0.4 * area0) & (box[..., 2] - box[..., 0] >= 2) & (box[..., 3] - box[..., 1] >= 2)
        cut = valid & ~keep & (area1 > 0)
        gt[..., 1:] = box
        cut_boxes = torch.where(cut[..., None], box, torch.zeros_like(box))
        gt[..., 0] = torch.where(keep, gt[..., 0], torch.full_like(gt[..., 0], -1.0))
        ign = ign - off
        ign[..., 0::2] = ign[..., 0::2].clamp(0, cw)
        ign[..., 1::2] = ign[..., 1::2].clamp(0, ch)
        ign = torch.cat([ign, cut_boxes], 1)
        h, w = ch, cw
    x = imgs.to(device).permute(0, 3, 1, 2).float().div_(255.0)
    if augment:
        flip = torch.rand(b, generator=gen) < 0.5
        if flip.any():
            fd = flip.to(device)
            x[fd] = x[fd].flip(-1)
            g = gt[flip]
            x1 = w - g[..., 3]
            x2 = w - g[..., 1]
            g[..., 1], g[..., 3] = x1, x2
            gt[flip] = g
            ig = ign[flip]
            x1 = w - ig[..., 2]
            x2 = w - ig[..., 0]
            ig[..., 0], ig[..., 2] = x1, x2
            ign[flip] = ig
        gain = 1.0 + 0.25 * (torch.rand(b, 1, 1, 1, generator=gen) * 2 - 1)
        bias = 0.06 * (torch.rand(b, 1, 1, 1, generator=gen) * 2 - 1)
        chan = 1.0 + 0.06 * (torch.rand(b, 3, 1, 1, generator=gen) * 2 - 1)
        x = (x * gain.to(device) * chan.to(device) + bias.to(device)).clamp_(0, 1)
    return x, _compact(gt, gt[..., 0] >= 0).to(device), _compact(ign, ign[..., 2] > ign[..., 0]).to(device)


def _compact(t: torch.Tensor, valid: torch.Tensor) -> torch.Tensor:
    """Moves each row's valid entries to the front and trims the padding the
    whole batch shares (the assigner's cost grows with the padded count)."""
    order = torch.argsort((~valid).to(torch.int8), dim=1, stable=True)
    t = t.gather(1, order[..., None].expand_as(t))
    keep = max(1, int(valid.sum(1).max()))
    return t[:, :keep]
