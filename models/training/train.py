"""Train the Crosswatch detector from scratch on a dataset folder.

usage: python3 train.py --data DIR [--val DIR] --out CKPT [--minutes 25]
                        [--steps 12000] [--batch 32] [--crop 256x448]
                        [--device cpu|cuda] [--threads 2] [--seed 0]
                        [--init CKPT|MODEL.onnx [--init-calib 8]]
                        [--focus-small 0.5 --focus-height 12 --small-weight 3]

The learning-rate schedule (warm-up, then cosine) follows whichever is further
along, steps or the wall-clock budget, and training stops when either is
spent: on a busy 2-core machine the run ends on time with a finished
schedule. EMA weights are what the checkpoint's `ema` holds and what export
uses.

--init takes such a checkpoint, or an exported model (`--init
../crosswatch-det.onnx`: onnx_init.py loads its weights, BatchNorm un-fused,
then re-splits the BatchNorms on --init-calib training batches so the
train-mode network starts where the exported one is; the model takes the
file's strides unless --strides is given). check_onnx_init.py checks the load.

--focus-small / --small-weight aim a fine-tune at far pedestrians (under
--focus-height model-input pixels, 30 px at 720 lines), the road users the
window pipeline loses most: part of each batch is drawn from frames with
one (the crop placed round it), and their positives weigh more in the loss.
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import os
import time

import torch

import dataset
from loss import DetLoss
from model import CLASSES, CrosswatchDet
from evaluate import evaluate_ap


class EMA:
    def __init__(self, model: torch.nn.Module, decay: float = 0.999, tau: float = 300.0):
        self.ema = copy.deepcopy(model).eval()
        for p in self.ema.parameters():
            p.requires_grad_(False)
        self.decay, self.tau, self.updates = decay, tau, 0

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        self.updates += 1
        d = self.decay * (1 - math.exp(-self.updates / self.tau))
        msd = model.state_dict()
        for k, v in self.ema.state_dict().items():
            if v.dtype.is_floating_point:
                v.mul_(d).add_(msd[k].detach(), alpha=1 - d)
            else:
                v.copy_(msd[k])


def param_groups(model: torch.nn.Module, wd: float):
    decay, no_decay = [], []
    for n, p in model.named_parameters():
        (no_decay if p.ndim <= 1 else decay).append(p)
    return [{'params': decay, 'weight_decay': wd}, {'params': no_decay, 'weight_decay': 0.0}]


def lr_at(progress: float, base: float, warm: float = 0.03) -> float:
    if progress < warm:
        return base * (0.1 + 0.9 * progress / warm)
    p = (progress - warm) / (1 - warm)
    return base * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(p, 1.0))))


def save(a, model, ema: EMA, step: int, seconds: float, frames: int, arch: dict) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    meta = {'steps': step, 'minutes': round(seconds / 60, 1), 'batch': a.batch, 'crop': a.crop, 'seed': a.seed,
            'focus_small': a.focus_small, 'focus_height': a.focus_height, 'small_weight': a.small_weight,
            'train_frames': frames, 'device': a.device}
    cpu = lambda sd: {k: v.detach().cpu() for k, v in sd.items()}
    tmp = a.out + '.tmp'
    torch.save({'model': cpu(model.state_dict()), 'ema': cpu(ema.ema.state_dict()), 'arch': arch, 'meta': meta}, tmp)
    os.replace(tmp, a.out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', required=True)
    ap.add_argument('--val')
    ap.add_argument('--out', required=True)
    ap.add_argument('--minutes', type=float, default=25.0)
    ap.add_argument('--steps', type=int, default=12000)
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--crop', default='256x448', help='HxW, multiples of 32; "full" for none')
    ap.add_argument('--lr', type=float, default=4e-3)
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--strides', help='output levels, from 4,8,16,32 (default 8,16,32; with an .onnx --init, its own)')
    ap.add_argument('--init', help='start from this checkpoint (EMA weights; new levels start fresh), or from an '
                                   'exported .onnx model (onnx_init.py: BatchNorm un-fused)')
    ap.add_argument('--init-calib', type=int, default=8,
                    help='with an .onnx --init: batches to re-split its BatchNorms on (0: leave them identity)')
    ap.add_argument('--focus-small', type=float, default=0.0,
                    help='share of each batch cropped round a small pedestrian (--focus-height)')
    ap.add_argument('--focus-height', type=float, default=12.0,
                    help='model-input pixels; 12 is 30 px at 720 lines')
    ap.add_argument('--small-weight', type=float, default=1.0,
                    help='loss weight of pedestrians under --focus-height (1: as any other box)')
    ap.add_argument('--eval-every', type=int, default=0)
    ap.add_argument('--save-every', type=int, default=0, help='also checkpoint every N steps')
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    dev = torch.device(a.device)
    t0 = time.time()
    data = dataset.load(a.data)
    val = dataset.load(a.val) if a.val else None
    h, w = data.images.shape[1:3]
    if dev.type == 'cuda':  # frames live on the GPU: crops and casts run there
        torch.backends.cudnn.benchmark = True
        data.images = data.images.to(dev)
    crop = None if a.crop == 'full' else tuple(int(v) for v in a.crop.split('x'))
    npos = int((data.gt[..., 0] >= 0).sum())
    focus = dataset.small_boxes(data, CLASSES.index('pedestrian'), a.focus_height) if a.focus_small > 0 else torch.zeros(0, 5)
    if len(focus):
        print(f'focus: {a.focus_small:.0%} of each batch round one of {len(focus)} pedestrians under {a.focus_height} px', flush=True)
    print(f'data {len(data)} frames {h}x{w}, {npos} boxes, loaded in {time.time() - t0:.1f}s', flush=True)

    onnx_sd = None
    if a.init and a.init.endswith('.onnx'):  # the exported model: its strides unless --strides says otherwise
        from onnx_init import calibrate_bn, load_onnx

        loaded, info = load_onnx(a.init)
        if a.init_calib:  # BatchNorm re-split on training batches so train mode starts where eval mode is
            cgen = torch.Generator().manual_seed(a.seed + 1)
            idx = [torch.randint(0, len(data), (a.batch,), generator=cgen) for _ in range(a.init_calib)]
            n = calibrate_bn(loaded.to(dev), (dataset.batch(data, i, crop, cgen, device=dev)[0] for i in idx))
            print(f'calibrated {n} BatchNorms on {a.init_calib} batches', flush=True)
        onnx_sd = loaded.state_dict()
        a.strides = a.strides or ','.join(str(s) for s in info.strides)
    arch = {'strides': [int(v) for v in (a.strides or '8,16,32').split(',')]}
    model = CrosswatchDet(nc=len(CLASSES), **arch).to(dev)
    if a.init:
        ck = {'ema': onnx_sd} if onnx_sd is not None else torch.load(a.init, map_location='cpu')
        missing, unexpected = model.load_state_dict(ck['ema'], strict=False)
        print(f'init from {a.init}: {len(missing)} new tensors, {len(unexpected)} unused', flush=True)
    ema = EMA(model)
    opt = torch.optim.AdamW(param_groups(model, 5e-4), lr=a.lr, betas=(0.9, 0.99))
    crit = DetLoss(len(CLASSES), model.strides,
                   small=(CLASSES.index('pedestrian'), a.focus_height, a.small_weight) if a.small_weight != 1.0 else None)
    budget = a.minutes * 60.0
    start = time.time()
    step, logs = 0, []
    while True:
        progress = max(step / a.steps, (time.time() - start) / budget)
        if progress >= 1.0:
            break
        for g in opt.param_groups:
            g['lr'] = lr_at(progress, a.lr)
        idx = torch.randint(0, len(data), (a.batch,), generator=gen)
        around = None
        if len(focus):
            # Far pedestrians are what the pipeline loses: part of each batch
            # is cropped round one, so they are seen more often.
            k = round(a.batch * a.focus_small)
            pick = focus[torch.randint(0, len(focus), (k,), generator=gen)]
            idx[:k] = pick[:, 0].long()
            around = torch.full((a.batch, 4), float('nan'))
            around[:k] = pick[:, 1:]
        x, gt, ign = dataset.batch(data, idx, crop, gen, device=dev, around=around)
        model.train()
        loss, parts = crit(model(x), gt, ign)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        ema.update(model)
        step += 1
        logs.append(parts)
        if step % 50 == 0 or step == 1:  # step 1: where an --init starts
            el = time.time() - start
            c = sum(p['cls'] for p in logs) / len(logs)
            bx = sum(p['box'] for p in logs) / len(logs)
            print(f'step {step} {el / 60:.1f}min progress {progress:.2f} lr {lr_at(progress, a.lr):.5f} '
                  f'cls {c:.3f} box {bx:.3f} ({step / el:.2f} it/s)', flush=True)
            logs = []
        if val is not None and a.eval_every and step % a.eval_every == 0:
            print(json.dumps(evaluate_ap(ema.ema, val, dev)), flush=True)
        if a.save_every and step % a.save_every == 0:
            save(a, model, ema, step, time.time() - start, len(data), arch)
    el = time.time() - start
    print(f'trained {step} steps in {el / 60:.1f} min', flush=True)
    save(a, model, ema, step, el, len(data), arch)
    if val is not None:
        res = evaluate_ap(ema.ema, val, dev)
        print('final', json.dumps(res), flush=True)


if __name__ == '__main__':
    main()
