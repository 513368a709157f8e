"""Export a trained checkpoint to ONNX with preprocessing and decoding inside.

usage: python3 export.py CHECKPOINT OUT.onnx [--height 288 --width 512]

Input  `images`: uint8 [N, H, W, 3] RGB, letterboxed to H x W (dynamic N).
Output `output0`: float32 [N, A, 4 + nc], A = 3024 anchor points at 512x288
(strides 8, 16, 32): x1, y1, x2, y2 in model-input pixels, then per-class
sigmoid scores; NMS is left to the runtime (pipelines/detect, layout
`crosswatch`). Metadata: crosswatch.layout, crosswatch.classes (JSON array),
crosswatch.info, plus Ultralytics-style names, imgsz, stride, task.
"""
from __future__ import annotations

import argparse
import json

import onnx
import torch

from model import CLASSES, CrosswatchDet, ExportWrapper


def export(model: CrosswatchDet, out: str, height: int, width: int, extra: dict | None = None) -> None:
    model = model.eval().cpu()
    wrapper = ExportWrapper(model, height, width).eval()
    dummy = torch.zeros(1, height, width, 3, dtype=torch.uint8)
    with torch.no_grad():
        torch.onnx.export(
            wrapper, dummy, out, opset_version=13, input_names=['images'], output_names=['output0'],
            dynamic_axes={'images': {0: 'batch'}, 'output0': {0: 'batch'}}, do_constant_folding=True,
        )
    m = onnx.load(out)
    meta = {
        'names': '{' + ', '.join(f"{i}: '{n}'" for i, n in enumerate(CLASSES)) + '}',
        'imgsz': f'[{height}, {width}]',
        'stride': str(max(model.strides)),
        'task': 'detect',
        'crosswatch.layout': 'crosswatch',
        'crosswatch.classes': json.dumps(CLASSES),
        'crosswatch.info': json.dumps({
            'input': 'uint8 NHWC RGB, letterboxed (centred, pad 114)',
            'output': '[N, A, 4+nc] x1,y1,x2,y2 model-input pixels + sigmoid class scores, no NMS',
            'strides': list(model.strides),
            **(extra or {}),
        }),
        'description': 'Crosswatch default road-user detector (see models/crosswatch-det.md)',
    }
    del m.metadata_props[:]
    for k, v in meta.items():
        p = m.metadata_props.add()
        p.key, p.value = k, v
    m.producer_name = 'crosswatch'
    onnx.checker.check_model(m)
    onnx.save(m, out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument('checkpoint')
    ap.add_argument('out')
    ap.add_argument('--height', type=int, default=288)
    ap.add_argument('--width', type=int, default=512)
    a = ap.parse_args()
    ck = torch.load(a.checkpoint, map_location='cpu')
    model = CrosswatchDet(**ck.get('arch', {}))
    model.load_state_dict(ck['ema'] if 'ema' in ck else ck['model'])
    export(model, a.out, a.height, a.width, ck.get('meta'))
    print(f'wrote {a.out}')


if __name__ == '__main__':
    main()
