"""Crosswatch road-user detector: a compact single-stage anchor-free network.

Backbone of plain and depthwise-separable 3x3 convolutions (ReLU, so ONNX
Runtime fuses conv+BN+act), a small top-down neck, and one head per level at
strides 8, 16 and 32. Each anchor point predicts distances to the box sides
(l, t, r, b in strides, softplus) and one sigmoid score per class.

`CrosswatchDet.forward` returns raw training outputs; `ExportWrapper` puts the
preprocessing (uint8 NHWC RGB -> float NCHW / 255) and the box decoding into
the graph and emits the runtime's `crosswatch` layout [N, A, 4 + nc]: x1, y1,
x2, y2 in model-input pixels, then class scores (pipelines/detect/adapters).
"""
from __future__ import annotations

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = ['vehicle', 'large_vehicle', 'non_motor', 'pedestrian']
STRIDES = (8, 16, 32)


def conv_bn(cin: int, cout: int, k: int = 3, s: int = 1, groups: int = 1, act: bool = True) -> nn.Sequential:
    layers: list[nn.Module] = [
        nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False),
        nn.BatchNorm2d(cout),
    ]
    if act:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class DWSep(nn.Module):
    """Depthwise 3x3 (stride s) then pointwise 1x1; residual when shapes match."""

    def __init__(self, cin: int, cout: int, s: int = 1):
        super().__init__()
        self.dw = conv_bn(cin, cin, 3, s, groups=cin, act=False)
        self.pw = conv_bn(cin, cout, 1)
        self.residual = s == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.pw(self.dw(x))
        return x + y if self.residual else y


class CrosswatchDet(nn.Module):
    """`strides` picks the output levels from 4, 8, 16, 32; the backbone always
    reaches stride 32 so every level sees wide context. A stride-4 level
    (`neck4` channels) helps road users a few pixels wide, at some latency."""

    def __init__(self, nc: int = len(CLASSES), width: tuple[int, ...] = (16, 32, 64, 96, 128), neck: int = 64,
                 strides: tuple[int, ...] = STRIDES, neck4: int = 32):
        super().__init__()
        c0, c1, c2, c3, c4 = width
        self.nc = nc
        self.strides = tuple(strides)
        self.stem = nn.Sequential(conv_bn(3, c0, 3, 2), conv_bn(c0, c1, 3, 2))  # stride 4
        self.s8 = nn.Sequential(DWSep(c1, c2, 2), DWSep(c2, c2), DWSep(c2, c2))
        self.s16 = nn.Sequential(DWSep(c2, c3, 2), DWSep(c3, c3), DWSep(c3, c3))
        self.s32 = nn.Sequential(DWSep(c3, c4, 2), DWSep(c4, c4))
        self.lat = nn.ModuleList([conv_bn(c, neck, 1) for c in (c2, c3, c4)])
        self.smooth = nn.ModuleList([DWSep(neck, neck) for _ in (8, 16, 32)])
        self.head = nn.ModuleList([nn.Sequential(DWSep(neck, neck), nn.Conv2d(neck, 4 + nc, 1)) for _ in (8, 16, 32)])
        if 4 in self.strides:
            self.lat4 = conv_bn(c1, neck4, 1)
            self.red8 = conv_bn(neck, neck4, 1)
            self.head4 = nn.Sequential(DWSep(neck4, neck4), DWSep(neck4, neck4), nn.Conv2d(neck4, 4 + nc, 1))
        self._init_bias()

    def _heads(self) -> list[nn.Sequential]:
        return ([self.head4] if 4 in self.strides else []) + list(self.head)

    def _init_bias(self) -> None:
        prior = 0.01
        for h in self._heads():
            last = h[-1]
            assert isinstance(last, nn.Conv2d)
            nn.init.normal_(last.weight, std=0.01)
            nn.init.constant_(last.bias[:4], 0.0)
            nn.init.constant_(last.bias[4:], -torch.log(torch.tensor((1 - prior) / prior)).item())

    def forward(self, x: torch.Tensor) -> list[torch.Tensor]:
        """x: float NCHW in [0, 1]. Returns per level, stride ascending, [N, 4 + nc, H, W] raw."""
        f4 = self.stem(x)
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        f32 = self.s32(f16)
        p32 = self.lat[2](f32)
        p16 = self.lat[1](f16) + F.interpolate(p32, size=f16.shape[-2:], mode='nearest')
        p8 = self.lat[0](f8) + F.interpolate(p16, size=f8.shape[-2:], mode='nearest')
        by_stride = {s: self.head[i](self.smooth[i](p)) for i, (s, p) in enumerate(zip((8, 16, 32), (p8, p16, p32)))}
        if 4 in self.strides:
            p4 = self.lat4(f4) + F.interpolate(self.red8(p8), size=f4.shape[-2:], mode='nearest')
            by_stride[4] = self.head4(p4)
        return [by_stride[s] for s in self.strides]


def anchor_points(shapes: list[tuple[int, int]], strides=STRIDES, device=None) -> tuple[torch.Tensor, torch.Tensor]:
    """Centres (A, 2) in input pixels and per-anchor stride (A,), level-major, row-major."""
    pts, st = [], []
    for (h, w), s in zip(shapes, strides):
        ys = (torch.arange(h, device=device, dtype=torch.float32) + 0.5) * s
        xs = (torch.arange(w, device=device, dtype=torch.float32) + 0.5) * s
        gy, gx = torch.meshgrid(ys, xs, indexing='ij')
        pts.append(torch.stack([gx.reshape(-1), gy.reshape(-1)], 1))
        st.append(torch.full((h * w,), float(s), device=device))
    return torch.cat(pts), torch.cat(st)


def flatten_outputs(outs: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor, list[tuple[int, int]]]:
    """-> ltrb raw (N, A, 4), class logits (N, A, nc), level shapes."""
    shapes = [(o.shape[2], o.shape[3]) for o in outs]
    cat = torch.cat([o.flatten(2) for o in outs], 2).permute(0, 2, 1)
    return cat[..., :4], cat[..., 4:], shapes


def decode_ltrb(raw: torch.Tensor, points: torch.Tensor, strides: torch.Tensor) -> torch.Tensor:
    """Raw side distances -> x1y1x2y2 in input pixels."""
    d = F.softplus(raw) * strides[:, None]
    return torch.cat([points - d[..., :2], points + d[..., 2:]], -1)


class ExportWrapper(nn.Module):
    """uint8 [N, H, W, 3] RGB -> [N, A, 4 + nc]: x1, y1, x2, y2 (model-input
    pixels), then sigmoid class scores; the runtime's `crosswatch` layout."""

    def __init__(self, model: CrosswatchDet, height: int, width: int):
        super().__init__()
        self.model = model
        shapes = [(-(-height // s), -(-width // s)) for s in model.strides]
        pts, st = anchor_points(shapes, model.strides)
        self.register_buffer('points', pts)
        self.register_buffer('strides', st)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        x = images.permute(0, 3, 1, 2).float() * (1.0 / 255.0)
        ltrb, logits, _ = flatten_outputs(self.model(x))
        d = F.softplus(ltrb) * self.strides[:, None]
        p = self.points
        boxes = torch.cat([p - d[..., :2], p + d[..., 2:]], -1)
        return torch.cat([boxes, torch.sigmoid(logits)], -1)
