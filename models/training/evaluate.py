"""AP@0.5 during training (the figures of record come from scripts/eval-detector.ts).

Same rules as the TypeScript eval: class-aware NMS at IoU 0.5, score >= 0.01,
detections that fall on an ignore region (more than half of the detection
inside it) and match no ground truth are dropped, VOC all-point interpolation.
"""
from __future__ import annotations

import torch

from model import CLASSES, anchor_points, decode_ltrb, flatten_outputs


def nms(boxes: torch.Tensor, scores: torch.Tensor, thr: float) -> torch.Tensor:
    order = scores.argsort(descending=True)
    keep = []
    boxes = boxes[order]
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    suppressed = torch.zeros(len(order), dtype=torch.bool)
    for i in range(len(order)):
        if suppressed[i]:
            continue
        keep.append(order[i].item())
        b = boxes[i]
        iw = (torch.minimum(b[2], boxes[i + 1:, 2]) - torch.maximum(b[0], boxes[i + 1:, 0])).clamp(min=0)
        ih = (torch.minimum(b[3], boxes[i + 1:, 3]) - torch.maximum(b[1], boxes[i + 1:, 1])).clamp(min=0)
        inter = iw * ih
        iou = inter / (area[i] + area[i + 1:] - inter + 1e-9)
        suppressed[i + 1:] |= iou > thr
    return torch.tensor(keep, dtype=torch.long)


def ap_voc(scores: list[float], tps: list[bool], npos: int) -> float:
    if npos == 0:
        return float('nan')
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    tp = fp = 0
    rec, prec = [0.0], [1.0]
    for i in order:
        if tps[i]:
            tp += 1
        else:
            fp += 1
        rec.append(tp / npos)
        prec.append(tp / (tp + fp))
    for i in range(len(prec) - 2, -1, -1):
        prec[i] = max(prec[i], prec[i + 1])
    return sum((rec[i] - rec[i - 1]) * prec[i] for i in range(1, len(rec)))


@torch.no_grad()
def predict(model, x: torch.Tensor, conf: float = 0.01, iou: float = 0.5, max_det: int = 300):
    """x float NCHW -> per image list of (boxes [n,4], scores [n], cls [n])."""
    model.eval()
    ltrb, logits, shapes = flatten_outputs(model(x))
    pts, st = anchor_points(shapes, model.strides, device=x.device)
    boxes = decode_ltrb(ltrb, pts, st).cpu()
    scores = logits.sigmoid().cpu()
    res = []
    for b in range(x.shape[0]):
        s, c = scores[b].max(-1)
        k = s >= conf
        bx, s, c = boxes[b][k], s[k], c[k]
        if len(s) > 1000:
            top = s.topk(1000).indices
            bx, s, c = bx[top], s[top], c[top]
        off = bx + c[:, None].float() * 10000.0
        keep = nms(off, s, iou)[:max_det] if len(s) else torch.zeros(0, dtype=torch.long)
        res.append((bx[keep], s[keep], c[keep]))
    return res


def match(det, gt: torch.Tensor, ign: torch.Tensor, nc: int, acc: dict) -> None:
    """Greedy match by score within each class; updates acc[cls] = (scores, tps, npos)."""
    boxes, scores, cls = det
    for k in range(nc):
        g = gt[gt[:, 0] == k][:, 1:]
        dm = cls == k
        db, ds = boxes[dm], scores[dm]
        entry = acc.setdefault(k, ([], [], [0]))
        entry[2][0] += len(g)
        used = torch.zeros(len(g), dtype=torch.bool)
        for i in ds.argsort(descending=True).tolist():
            b = db[i]
            if len(g):
                iw = (torch.minimum(b[2], g[:, 2]) - torch.maximum(b[0], g[:, 0])).clamp(min=0)
                ih = (torch.minimum(b[3], g[:, 3]) - torch.maximum(b[1], g[:, 1])).clamp(min=0)
                inter = iw * ih
                iou = inter / ((b[2] - b[0]) * (b[3] - b[1]) + (g[:, 2] - g[:, 0]) * (g[:, 3] - g[:, 1]) - inter)
                iou[used] = -1
                j = int(iou.argmax())
                if iou[j] >= 0.5:
                    used[j] = True
                    entry[0].append(float(ds[i]))
                    entry[1].append(True)
                    continue
            if len(ign):
                iw = (torch.minimum(b[2], ign[:, 2]) - torch.maximum(b[0], ign[:, 0])).clamp(min=0)
                ih = (torch.minimum(b[3], ign[:, 3]) - torch.maximum(b[1], ign[:, 1])).clamp(min=0)
                area = ((b[2] - b[0]) * (b[3] - b[1])).clamp(min=1e-6)
                if ((iw * ih) / area).max() > 0.5:
                    continue
            entry[0].append(float(ds[i]))
            entry[1].append(False)


@torch.no_grad()
def evaluate_ap(model, data, device, batch: int = 16) -> dict:
    per_cond: dict[str, dict] = {}
    allacc: dict = {}
    for s in range(0, len(data), batch):
        x = data.images[s: s + batch].permute(0, 3, 1, 2).float().div(255.0).to(device)
        dets = predict(model, x)
        for i, det in enumerate(dets):
            n = s + i
            gt = data.gt[n][data.gt[n][:, 0] >= 0]
            ign = data.ign[n][(data.ign[n][:, 2] > data.ign[n][:, 0])]
            match(det, gt, ign, len(CLASSES), per_cond.setdefault(data.conditions[n], {}))
            match(det, gt, ign, len(CLASSES), allacc)
    out = {}
    for cond, acc in sorted(per_cond.items()) + [('all', allacc)]:
        aps = {CLASSES[k]: round(ap_voc(v[0], v[1], v[2][0]), 4) for k, v in sorted(acc.items())}
        vals = [v for v in aps.values() if v == v]
        out[cond] = {**aps, 'mAP': round(sum(vals) / max(1, len(vals)), 4)}
    return out
