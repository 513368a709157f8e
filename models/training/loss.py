"""Task-aligned assignment (YOLOv8/TOOD style) and the detection loss.

Candidates for a ground-truth box are anchor points inside it, plus points
within one stride of its centre (so boxes smaller than a stride still get
candidates). Among candidates the `topk` with the highest alignment
score**alpha * IoU**beta become positives; a point claimed by several boxes
goes to the one it overlaps most. Classification targets are the alignment
normalised per box to its best IoU (IoU-aware soft labels); points inside an
ignore region that are not positives carry no classification loss.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from model import anchor_points, decode_ltrb, flatten_outputs


def box_iou(a: torch.Tensor, b: torch.Tensor, eps: float = 1e-7) -> torch.Tensor:
    """Pairwise IoU, a [..., M, 4] with b [..., A, 4] -> [..., M, A]."""
    a = a[..., :, None, :]
    b = b[..., None, :, :]
    iw = (torch.minimum(a[..., 2], b[..., 2]) - torch.maximum(a[..., 0], b[..., 0])).clamp(min=0)
    ih = (torch.minimum(a[..., 3], b[..., 3]) - torch.maximum(a[..., 1], b[..., 1])).clamp(min=0)
    inter = iw * ih
    area_a = (a[..., 2] - a[..., 0]) * (a[..., 3] - a[..., 1])
    area_b = (b[..., 2] - b[..., 0]).clamp(min=0) * (b[..., 3] - b[..., 1]).clamp(min=0)
    return inter / (area_a + area_b - inter + eps)


def giou_aligned(a: torch.Tensor, b: torch.Tensor, eps: float = 1e-7) -> torch.Tensor:
    iw = (torch.minimum(a[:, 2], b[:, 2]) - torch.maximum(a[:, 0], b[:, 0])).clamp(min=0)
    ih = (torch.minimum(a[:, 3], b[:, 3]) - torch.maximum(a[:, 1], b[:, 1])).clamp(min=0)
    inter = iw * ih
    union = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) - inter + eps
    iou = inter / union
    cw = torch.maximum(a[:, 2], b[:, 2]) - torch.minimum(a[:, 0], b[:, 0])
    ch = torch.maximum(a[:, 3], b[:, 3]) - torch.minimum(a[:, 1], b[:, 1])
    c = cw * ch + eps
    return iou - (c - union) / c


class DetLoss:
    def __init__(self, nc: int, strides: tuple[int, ...], topk: int = 10, alpha: float = 1.0, beta: float = 6.0,
                 w_cls: float = 1.0, w_box: float = 5.0, small: tuple[int, float, float] | None = None):
        self.nc, self.strides, self.topk, self.alpha, self.beta = nc, strides, topk, alpha, beta
        self.w_cls, self.w_box = w_cls, w_box
        # (class, height, weight): positives of boxes of that class under that
        # height (model-input pixels) weigh `weight` times as much.
        self.small = small

    @torch.no_grad()
    def assign(self, scores, boxes, pts, strides, gt, ign):
        """scores (B,A,C) sigmoid, boxes (B,A,4) decoded; gt (B,M,5); ign (B,K,4).
        -> target scores (B,A,C), target boxes (B,A,4), positive mask (B,A), cls weight (B,A)."""
        b, a, c = scores.shape
        m = gt.shape[1]
        valid = gt[..., 0] >= 0  # B, M
        cls = gt[..., 0].clamp(min=0).long()
        gbox = gt[..., 1:]
        px, py = pts[:, 0], pts[:, 1]
        inside = ((px > gbox[..., 0:1]) & (px < gbox[..., 2:3]) & (py > gbox[..., 1:2]) & (py < gbox[..., 3:4]))
        cx = (gbox[..., 0:1] + gbox[..., 2:3]) * 0.5
        cy = (gbox[..., 1:2] + gbox[..., 3:4]) * 0.5
        near = ((px - cx).abs() < strides) & ((py - cy).abs() < strides)
        cand = (inside | near) & valid[..., None]  # B, M, A
        iou = box_iou(gbox, boxes).clamp(min=0)  # B, M, A
        sc = scores.gather(2, cls[:, None, :].expand(b, a, m)).permute(0, 2, 1)  # B, M, A
        metric = sc.pow(self.alpha) * iou.pow(self.beta) * cand
        k = min(self.topk, a)
        top = metric.topk(k, dim=2).indices  # B, M, k
        pos = torch.zeros_like(cand)
        pos.scatter_(2, top, True)
        pos &= cand
        # resolve points claimed by several boxes: keep the highest IoU
        multi = pos.sum(1) > 1  # B, A
        if multi.any():
            best = (iou * pos).argmax(1)  # B, A
            one = F.one_hot(best, m).permute(0, 2, 1).bool()
            pos = torch.where(multi[:, None, :], one & pos, pos)
        pos_any = pos.any(1)  # B, A
        gi = pos.float().argmax(1)  # B, A: assigned box
        metric = metric * pos
        iou_p = iou * pos
        norm = metric / (metric.amax(2, keepdim=True) + 1e-9) * iou_p.amax(2, keepdim=True)
        align = norm.amax(1)  # B, A
        t_cls = cls.gather(1, gi)
        t_scores = F.one_hot(t_cls, c).float() * (align * pos_any)[..., None]
        t_boxes = gbox.gather(1, gi[..., None].expand(b, a, 4))
        # ignore regions: no classification loss for non-positive points inside them
        in_ign = ((px > ign[..., 0:1]) & (px < ign[..., 2:3]) & (py > ign[..., 1:2]) & (py < ign[..., 3:4])).any(1)
        w = torch.where(in_ign & ~pos_any, torch.zeros_like(align), torch.ones_like(align))
        if self.small is not None:
            k, hmax, weight = self.small
            small = pos_any & (t_cls == k) & ((t_boxes[..., 3] - t_boxes[..., 1]) < hmax)
            w = torch.where(small, w * weight, w)
        return t_scores, t_boxes, pos_any, w

    def __call__(self, outs: list[torch.Tensor], gt: torch.Tensor, ign: torch.Tensor) -> tuple[torch.Tensor, dict]:
        ltrb, logits, shapes = flatten_outputs(outs)
        pts, st = anchor_points(shapes, self.strides, device=ltrb.device)
        boxes = decode_ltrb(ltrb, pts, st)
        t_scores, t_boxes, pos, w = self.assign(logits.detach().sigmoid(), boxes.detach(), pts, st, gt, ign)
        denom = t_scores.sum().clamp(min=1.0)
        bce = F.binary_cross_entropy_with_logits(logits, t_scores, reduction='none')
        l_cls = (bce.sum(-1) * w).sum() / denom
        if pos.any():
            weight = t_scores.sum(-1)[pos] * w[pos]
            g = giou_aligned(boxes[pos], t_boxes[pos])
            l_box = ((1.0 - g) * weight).sum() / denom
        else:
            l_box = boxes.sum() * 0.0
        loss = self.w_cls * l_cls + self.w_box * l_box
        return loss, {'cls': l_cls.item(), 'box': l_box.item(), 'pos': int(pos.sum())}
