"""Round trip of onnx_init.py: load an exported detector into PyTorch and check
it computes what the ONNX file computes under ONNX Runtime.

usage: /usr/bin/python3 models/training/check_onnx_init.py [--model models/crosswatch-det.onnx]
           [--random 2] [--frames 4] [--video var/eval/X.mp4] [--no-reexport]
           [--tol-box 1e-3] [--tol-score 1e-4]

1. onnx_init.load_onnx(model) -> CrosswatchDet (BatchNorm un-fused), run in
   eval mode through ExportWrapper on uint8 [N, H, W, 3] inputs: `--random`
   noise frames plus `--frames` frames decoded from a video (default: the
   first .mp4 under var/eval/, letterboxed to the model size with FFmpeg; the
   FFMPEG environment variable, else node_modules/@ffmpeg-installer, else
   ffmpeg on PATH). Compared with ONNX Runtime (onnxruntime-node, run through
   `node`, as the pipeline runs it) on the same inputs.
2. The loaded model re-exported with export.py to a temporary file; its ONNX
   Runtime outputs compared with the original file's.
3. The loaded model after calibrate_bn (what train.py does after an .onnx
   --init; here calibrated on the inputs themselves) against ONNX Runtime:
   the re-split BatchNorm must leave the eval-mode output where it was.
Prints the largest absolute differences of boxes (x1..y2, model-input pixels)
and of class scores; exits 1 when one exceeds its tolerance.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from model import ExportWrapper  # noqa: E402
from onnx_init import calibrate_bn, load_onnx  # noqa: E402

ORT_JS = r"""
const fs = require('fs');
const ort = require(require.resolve('onnxruntime-node', { paths: [process.env.ROOT] }));
(async () => {
  const [model, inp, out, n, h, w] = process.argv.slice(1);
  const s = await ort.InferenceSession.create(model, { intraOpNumThreads: 2, interOpNumThreads: 1 });
  const data = new Uint8Array(fs.readFileSync(inp));
  const r = await s.run({ images: new ort.Tensor('uint8', data, [+n, +h, +w, 3]) });
  const o = r.output0;
  fs.writeFileSync(out, Buffer.from(o.data.buffer, o.data.byteOffset, o.data.byteLength));
  fs.writeFileSync(out + '.json', JSON.stringify(o.dims));
})().catch((e) => { console.error(e); process.exit(1); });
"""


def run_ort(model: str, images: np.ndarray, tmp: str) -> np.ndarray:
    n, h, w, _ = images.shape
    inp, out = os.path.join(tmp, 'in.bin'), os.path.join(tmp, 'out.bin')
    images.tofile(inp)
    subprocess.run(['node', '-e', ORT_JS, model, inp, out, str(n), str(h), str(w)], check=True,
                   cwd=ROOT, env={**os.environ, 'ROOT': ROOT})
    with open(out + '.json') as fh:
        dims = json.load(fh)
    return np.fromfile(out, np.float32).reshape(dims)


def find_ffmpeg() -> str | None:
    for c in (os.environ.get('FFMPEG'), os.path.join(ROOT, 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg'),
              shutil.which('ffmpeg')):
        if c and os.path.isfile(c):
            return c
    return None


def video_frames(video: str, n: int, h: int, w: int) -> np.ndarray:
    ffmpeg = find_ffmpeg()
    if ffmpeg is None:
        raise SystemExit('no FFmpeg found (set FFMPEG, or pass --frames 0)')
    vf = (f'scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color=0x727272,'
          f'select=not(mod(n\\,25))')  # every 25th frame: different scenes, not near-copies
    raw = subprocess.run([ffmpeg, '-loglevel', 'error', '-i', video, '-vf', vf, '-vsync', '0',
                          '-frames:v', str(n), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
                         check=True, capture_output=True).stdout
    frames = np.frombuffer(raw, np.uint8)
    if frames.size != n * h * w * 3:
        raise SystemExit(f'{video}: decoded {frames.size // (h * w * 3)} frames, wanted {n}')
    return frames.reshape(n, h, w, 3).copy()


def diff(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    if a.shape != b.shape:
        raise SystemExit(f'output shapes differ: {a.shape} vs {b.shape}')
    d = np.abs(a.astype(np.float64) - b.astype(np.float64))
    return float(d[..., :4].max()), float(d[..., 4:].max())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument('--model', default=os.path.join(ROOT, 'models/crosswatch-det.onnx'))
    ap.add_argument('--random', type=int, default=2, help='uniform-noise frames')
    ap.add_argument('--frames', type=int, default=4, help='frames decoded from --video')
    ap.add_argument('--video', help='default: the first .mp4 under var/eval/')
    ap.add_argument('--no-reexport', action='store_true')
    ap.add_argument('--tol-box', type=float, default=1e-3, help='pixels')
    ap.add_argument('--tol-score', type=float, default=1e-4)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)

    model, info = load_onnx(a.model)
    h, w = info.height or 288, info.width or 512
    rng = np.random.default_rng(a.seed)
    parts = [rng.integers(0, 256, (a.random, h, w, 3), dtype=np.uint8)] if a.random else []
    if a.frames:
        video = a.video or next(iter(sorted(glob.glob(os.path.join(ROOT, 'var/eval/*.mp4')))), None)
        if video is None:
            print('no video under var/eval/: random frames only (pass --video)')
        else:
            parts.append(video_frames(video, a.frames, h, w))
            print(f'{a.frames} frames from {os.path.relpath(video, ROOT)}')
    images = np.concatenate(parts)
    print(f'inputs: uint8 {list(images.shape)}, mean {images.mean():.1f}')

    wrapper = ExportWrapper(model, h, w).eval()
    with torch.no_grad():
        out_pt = wrapper(torch.from_numpy(images)).numpy()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        out_ort = run_ort(a.model, images, tmp)
        rows = [('loaded PyTorch model vs ONNX Runtime', *diff(out_pt, out_ort))]
        print(f'top class score per input (ONNX Runtime): {[round(float(v), 3) for v in out_ort[..., 4:].max((1, 2))]}')
        if not a.no_reexport:
            from export import export  # needs python3-onnx

            re_path = os.path.join(tmp, 'reexport.onnx')
            with warnings.catch_warnings():  # torch.onnx's tracer warnings, as in train.sh
                warnings.simplefilter('ignore')
                export(model, re_path, h, w, info.meta)
            model2, _ = load_onnx(re_path, verbose=False)
            wd = max(float((p - q).abs().max()) for p, q in zip(model.state_dict().values(),
                                                                 model2.state_dict().values()))
            out_re = run_ort(re_path, images, tmp)
            rows.append(('re-exported ONNX vs committed ONNX (both ONNX Runtime)', *diff(out_re, out_ort)))
            print(f're-export: largest weight difference after loading it back {wd:.3g}')
        # What train.py does after an .onnx --init: BatchNorm re-split on data. Eval output must not move.
        calibrate_bn(model, [torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255.0])
        with torch.no_grad():
            out_cal = ExportWrapper(model, h, w).eval()(torch.from_numpy(images)).numpy()
        rows.append(('after calibrate_bn, PyTorch vs ONNX Runtime', *diff(out_cal, out_ort)))
    print(f'output [N, A, 4+nc] = {list(out_ort.shape)}; max abs difference (tolerance: boxes {a.tol_box} px, '
          f'scores {a.tol_score}):')
    for name, db, ds in rows:
        bad = db > a.tol_box or ds > a.tol_score
        ok &= not bad
        print(f'  {name}: boxes {db:.3g} px, scores {ds:.3g}{"  FAIL" if bad else ""}')
    print('ok' if ok else 'FAIL: differences above tolerance')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
