"""Load an exported Crosswatch detector (ONNX, as written by export.py) back
into the PyTorch model, so `train.py --init MODEL.onnx` can fine-tune the
committed model without its training checkpoint.

export.py folds each BatchNorm into the convolution before it, so the ONNX
file holds one fused weight and bias per convolution. Un-fusing: each conv
gets the fused weight; its BatchNorm becomes the identity in eval mode
(weight 1, bias = fused bias, running_mean 0, running_var = 1 - eps so that
sqrt(var + eps) is 1). The head's last convs (no BatchNorm) take weight and
bias as they are. The eval-mode model then computes what the ONNX file does
(check_onnx_init.py measures it).

In train mode, though, BatchNorm normalises by batch statistics, and the
identity BatchNorm has lost the scale (|gamma|) and shift (beta) that the
fused weights no longer carry separately: the train-mode forward is a
different network (on twin frames the loss is about 7x the eval-mode loss)
and the first fine-tune steps would spend themselves undoing that.
`calibrate_bn` fixes it from data: it measures each BatchNorm'd conv's
per-channel output mean m and std s (eval mode, which is exact), then sets
conv weight W/s', BatchNorm weight s', bias b + m, running_mean m/s',
running_var 1 - eps (s' = s / sqrt(1 - eps)). Eval mode computes the same
function (up to float rounding); train mode on similar batches now does too.
train.py runs it on a few training batches after an .onnx --init.

Mapping: the PyTorch convs are listed in the order the forward pass calls
them (forward hooks on a small dummy input); the ONNX Conv nodes in graph
order, which is the traced order of that same forward. Pairs are checked
one by one: weight shape, groups, stride, padding, dilation, bias presence,
and, where the exporter named the node after its module scope (torch >= 1.13:
`/model/s8/s8.0/dw/dw.0/Conv`), that module path too. Anything that does not
match raises OnnxInitError naming the node, the module and both shapes.

usage (as a library):
    from onnx_init import load_onnx
    model, info = load_onnx('models/crosswatch-det.onnx')
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import torch
import torch.nn as nn

from model import CLASSES, CrosswatchDet


class OnnxInitError(ValueError):
    pass


@dataclass
class ConvNode:
    name: str
    weight: str  # initializer names
    bias: str | None
    group: int
    strides: tuple[int, int]
    pads: tuple[int, int, int, int]
    dilations: tuple[int, int]


@dataclass
class OnnxInfo:
    path: str
    strides: tuple[int, ...]
    height: int | None
    width: int | None
    meta: dict = field(default_factory=dict)  # crosswatch.info (training run), as exported
    tensors: int = 0  # initializers loaded into the model
    convs: int = 0


def _read(path: str):
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError as e:  # pragma: no cover - export.py needs it as well
        raise OnnxInitError('reading an ONNX init needs the onnx package: apt-get install python3-onnx') from e
    try:
        m = onnx.load(path)
    except Exception as e:
        raise OnnxInitError(f'{path}: not a readable ONNX file ({e})') from e
    g = m.graph
    inits = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in g.initializer}
    meta = {p.key: p.value for p in m.metadata_props}
    convs: list[ConvNode] = []
    for i, n in enumerate(g.node):
        if n.op_type == 'BatchNormalization':
            raise OnnxInitError(f'{path}: node {n.name or i} is an unfused BatchNormalization; '
                                'expected an export.py model (BatchNorm folded into the convs)')
        if n.op_type != 'Conv':
            continue
        at = {a.name: onnx.helper.get_attribute_value(a) for a in n.attribute}
        if at.get('auto_pad', b'NOTSET') not in (b'NOTSET', 'NOTSET'):
            raise OnnxInitError(f'{path}: Conv {n.name or i} uses auto_pad; expected explicit pads')
        w = n.input[1] if len(n.input) > 1 else ''
        b = n.input[2] if len(n.input) > 2 and n.input[2] else None
        for t in (w, b):
            if t is not None and t not in inits:
                raise OnnxInitError(f'{path}: Conv {n.name or i}: missing tensor {t!r} (not among the '
                                    'initializers; weights computed in the graph are not supported)')
        convs.append(ConvNode(n.name or f'#{i}', w, b, int(at.get('group', 1)),
                              tuple(at.get('strides', (1, 1))), tuple(at.get('pads', (0, 0, 0, 0))),
                              tuple(at.get('dilations', (1, 1)))))
    out_dims = None
    if g.output:
        t = g.output[0].type.tensor_type
        out_dims = [d.dim_value if d.HasField('dim_value') else None for d in t.shape.dim]
    return inits, meta, convs, out_dims


def _layout(path: str, meta: dict) -> tuple[tuple[int, ...] | None, int | None, int | None, dict]:
    """Check the crosswatch metadata; -> strides (None if not recorded), height, width, run info."""
    if meta.get('crosswatch.layout') != 'crosswatch':
        got = meta.get('crosswatch.layout')
        raise OnnxInitError(f'{path}: not a crosswatch layout model (metadata crosswatch.layout = {got!r}); '
                            'only models written by export.py can be loaded')
    classes = meta.get('crosswatch.classes')
    if classes is not None and json.loads(classes) != CLASSES:
        raise OnnxInitError(f'{path}: classes {classes} do not match model.py CLASSES {CLASSES}')
    try:
        info = json.loads(meta.get('crosswatch.info', '{}'))
    except json.JSONDecodeError as e:
        raise OnnxInitError(f'{path}: metadata crosswatch.info is not JSON ({e})') from e
    strides = tuple(int(s) for s in info['strides']) if 'strides' in info else None
    h = w = None
    m = re.fullmatch(r'\[\s*(\d+)\s*,\s*(\d+)\s*\]', meta.get('imgsz', ''))
    if m:
        h, w = int(m.group(1)), int(m.group(2))
    return strides, h, w, info


def _torch_convs(model: CrosswatchDet) -> list[tuple[str, nn.Conv2d, nn.BatchNorm2d | None]]:
    """(module path, conv, the BatchNorm right after it or None) in forward call order."""
    names = {m: n for n, m in model.named_modules()}
    order: list[nn.Conv2d] = []
    hooks = [m.register_forward_hook(lambda mod, i, o: order.append(mod))
             for m in model.modules() if isinstance(m, nn.Conv2d)]
    was = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, 64, 64))
    model.train(was)
    for h in hooks:
        h.remove()
    all_convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    if len(order) != len(all_convs) or len(set(map(id, order))) != len(order):
        raise OnnxInitError(f'model.py forward calls {len(order)} convs, the model has {len(all_convs)}: '
                            'each conv must run exactly once for the ONNX mapping')
    bn_after: dict[nn.Conv2d, nn.BatchNorm2d] = {}
    for seq in model.modules():  # conv_bn: Sequential(conv, BatchNorm2d[, ReLU])
        if isinstance(seq, nn.Sequential):
            kids = list(seq)
            for a, b in zip(kids, kids[1:]):
                if isinstance(a, nn.Conv2d) and isinstance(b, nn.BatchNorm2d):
                    bn_after[a] = b
    return [(names[c], c, bn_after.get(c)) for c in order]


def _scope_path(node_name: str) -> str | None:
    """'/model/s8/s8.0/dw/dw.0/Conv' -> 's8.0.dw.0' (torch >= 1.13 scope names: a
    container's child is named `<container>.<key>`); None when not in that form."""
    parts = node_name.strip('/').split('/')
    if len(parts) < 3 or parts[0] != 'model' or not parts[-1].startswith('Conv'):
        return None
    path: list[str] = []
    prev = None
    for c in parts[1:-1]:
        path.append(c[len(prev) + 1:] if prev is not None and c.startswith(prev + '.') else c)
        prev = c
    return '.'.join(path)


def _arch_matches(model: CrosswatchDet, convs: list[ConvNode], inits: dict) -> bool:
    tc = _torch_convs(model)
    return len(tc) == len(convs) and all(
        tuple(c.weight.shape) == tuple(inits[n.weight].shape) for (_, c, _), n in zip(tc, convs))


def _anchor_count(strides, h: int, w: int) -> int:
    return sum(-(-h // s) * -(-w // s) for s in strides)


def load_onnx(path: str, verbose: bool = True) -> tuple[CrosswatchDet, OnnxInfo]:
    """Build CrosswatchDet with the file's strides and load its weights (BatchNorm un-fused)."""
    inits, meta, convs, out_dims = _read(path)
    strides, h, w, run = _layout(path, meta)
    if strides is None:  # not recorded: the architecture whose convs match the graph
        cands = [s for s in ((8, 16, 32), (4, 8, 16, 32)) if _arch_matches(CrosswatchDet(strides=s), convs, inits)]
        if len(cands) != 1:
            raise OnnxInitError(f'{path}: metadata crosswatch.info has no strides and the graph matches '
                                f'{len(cands)} of the known architectures')
        strides = cands[0]
    if out_dims and len(out_dims) == 3:
        if out_dims[2] is not None and out_dims[2] != 4 + len(CLASSES):
            raise OnnxInitError(f'{path}: output has {out_dims[2]} values per anchor, expected {4 + len(CLASSES)}')
        if out_dims[1] is not None and h and w and out_dims[1] != _anchor_count(strides, h, w):
            raise OnnxInitError(f'{path}: output has {out_dims[1]} anchors; strides {list(strides)} at {w}x{h} '
                                f'give {_anchor_count(strides, h, w)}')
    try:
        model = CrosswatchDet(nc=len(CLASSES), strides=strides)
    except Exception as e:
        raise OnnxInitError(f'{path}: cannot build the model for strides {list(strides)}: {e}') from e
    tc = _torch_convs(model)
    if len(tc) != len(convs):
        raise OnnxInitError(f'{path}: {len(convs)} Conv nodes, the model for strides {list(strides)} has '
                            f'{len(tc)} convs ({"missing" if len(convs) < len(tc) else "extra"} in the ONNX file)')
    modules = dict(model.named_modules())
    # Check every pair before writing anything.
    for k, ((mp, conv, bn), node) in enumerate(zip(tc, convs)):
        where = f'{path}: conv {k} (ONNX node {node.name}, model module {mp})'
        wt = inits[node.weight]
        if tuple(wt.shape) != tuple(conv.weight.shape):
            raise OnnxInitError(f'{where}: weight shape {list(wt.shape)} in the ONNX file, '
                                f'{list(conv.weight.shape)} in the model')
        p = conv.padding
        want = (conv.groups, tuple(conv.stride), (p[0], p[1], p[0], p[1]), tuple(conv.dilation))
        got = (node.group, node.strides, node.pads, node.dilations)
        if want != got:
            raise OnnxInitError(f'{where}: (groups, strides, pads, dilations) {got} in the ONNX file, {want} in the model')
        if node.bias is not None and tuple(inits[node.bias].shape) != (conv.out_channels,):
            raise OnnxInitError(f'{where}: bias shape {list(inits[node.bias].shape)}, expected [{conv.out_channels}]')
        if bn is None and conv.bias is not None and node.bias is None:
            raise OnnxInitError(f'{where}: missing bias tensor (the model conv has one)')
        if bn is None and conv.bias is None and node.bias is not None:
            raise OnnxInitError(f'{where}: the ONNX conv has a bias but the model conv has neither bias nor BatchNorm')
        sp = _scope_path(node.name)
        if sp is not None and sp != mp and isinstance(modules.get(sp), nn.Conv2d):
            raise OnnxInitError(f'{where}: the node is named after module {sp}, graph order maps it to {mp}')
    tensors = 0
    with torch.no_grad():
        for (mp, conv, bn), node in zip(tc, convs):
            conv.weight.copy_(inits[node.weight])
            tensors += 1
            b = inits[node.bias] if node.bias is not None else torch.zeros(conv.out_channels)
            tensors += node.bias is not None
            if bn is None:
                conv.bias.copy_(b)
                continue
            if conv.bias is not None:  # not so in model.py (conv_bn convs have bias=False)
                conv.bias.zero_()
            bn.weight.fill_(1.0)
            bn.bias.copy_(b)
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
            bn.num_batches_tracked.zero_()
    used = {n.weight for n in convs} | {n.bias for n in convs if n.bias}
    left = sorted(set(inits) - used)
    model.eval()
    info = OnnxInfo(path, tuple(strides), h, w, run, tensors, len(convs))
    if verbose:
        print(f'onnx init {path}: strides {list(strides)}, loaded {tensors} tensors into {len(convs)} convs '
              f'(BatchNorm un-fused to identity); {len(left)} other initializers (anchor points, strides) '
              f'not parameters', flush=True)
    return model, info


@torch.no_grad()
def calibrate_bn(model: CrosswatchDet, batches, min_std: float = 1e-4) -> int:
    """Re-split each conv + BatchNorm so train-mode batch statistics reproduce
    the eval-mode function (see the module docstring). `batches`: float NCHW
    inputs in [0, 1] like the training batches. Returns the BatchNorms set."""
    pairs = [(conv, bn) for _, conv, bn in _torch_convs(model) if bn is not None]
    acc = {id(c): [0.0, 0.0, 0] for c, _ in pairs}

    def hook(mod, inp, out):
        o = out.detach().double()
        a = acc[id(mod)]
        a[0] = a[0] + o.sum((0, 2, 3))
        a[1] = a[1] + (o * o).sum((0, 2, 3))
        a[2] += o.numel() // o.shape[1]

    hooks = [c.register_forward_hook(hook) for c, _ in pairs]
    was = model.training
    model.eval()
    try:
        for x in batches:
            model(x)
    finally:
        for h in hooks:
            h.remove()
        model.train(was)
    for conv, bn in pairs:
        s1, s2, n = acc[id(conv)]
        if n == 0:
            raise OnnxInitError('calibrate_bn: no batches')
        # The conv's output here is conv(x) alone; BatchNorm (identity or not) comes after.
        m = s1 / n
        std = (s2 / n - m * m).clamp(min=0).sqrt().clamp(min=min_std)
        # Fold the present BatchNorm (eval) into an affine map y = a * conv(x) + c first,
        # so this also works on a model already calibrated or trained.
        inv = (bn.running_var.double() + bn.eps).rsqrt()
        a = bn.weight.double() * inv
        c = bn.bias.double() - bn.running_mean.double() * a
        if conv.bias is not None:
            raise OnnxInitError('calibrate_bn: conv with both bias and BatchNorm')
        # fused pre-activation z = a * conv(x) + c; its conv part a * conv(x) has mean a*m, std |a|*std
        sp = (a.abs() * std / (1.0 - bn.eps) ** 0.5).clamp(min=min_std)
        w_scale = a / sp  # new conv weight = old weight * a / s'
        conv.weight.mul_(w_scale.view(-1, 1, 1, 1).to(conv.weight.dtype))
        bn.weight.copy_(sp)
        bn.bias.copy_(c + a * m)
        bn.running_mean.copy_((a * m) / sp)
        bn.running_var.fill_(1.0 - bn.eps)
    return len(pairs)
