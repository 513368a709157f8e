#!/bin/sh
# Retrain the default detector from scratch: render the twin dataset, train
# on the CPU, export to ONNX. `npm run train:detector` runs this.
#
# Environment (all optional):
#   TRAIN_DIR      work folder (default var/detector-train; wiped first)
#   MODEL_OUT      exported model (default models/crosswatch-det.onnx)
#   TRAIN_MINUTES  training wall-clock budget (default 25)
#   TRAIN_STEPS    step cap (default 12000; whichever ends first)
#   TRAIN_CLIPS    training clips (default 416; 6 s each, every 4th frame kept)
#   TRAIN_DEVICE   cpu (default) or cuda
#   TRAIN_THREADS  torch threads (default 2)
#   TRAIN_STRIDES  output levels (default 8,16,32, or TRAIN_INIT's when that is
#                  an .onnx model; the committed model 4,8,16,32)
#   TRAIN_BATCH    batch size (default 32)
#   TRAIN_LR       peak learning rate (default 0.004)
#   TRAIN_INIT     continue from this checkpoint's EMA weights, or from an
#                  exported model: TRAIN_INIT=models/crosswatch-det.onnx
#                  fine-tunes the committed model (onnx_init.py); the export
#                  then replaces MODEL_OUT, by default that same file
#                  (default: none)
set -eu
cd "$(dirname "$0")/../.."
abs() { case "$1" in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
DIR=$(abs "${TRAIN_DIR:-var/detector-train}")
OUT=$(abs "${MODEL_OUT:-models/crosswatch-det.onnx}")
PY=${PYTHON:-/usr/bin/python3}
start=$(date +%s)
rm -rf "$DIR"
mkdir -p "$DIR/data" "$DIR/val"

echo "== dataset: two renderers, one per core"
CLIPS=${TRAIN_CLIPS:-416}
HALF=$((CLIPS / 2))
node --import tsx models/training/make-dataset.ts --out "$DIR/data" --clips "$CLIPS" --first 0 --count "$HALF" > "$DIR/render-0.log" 2>&1 &
pid=$!
node --import tsx models/training/make-dataset.ts --out "$DIR/data" --clips "$CLIPS" --first "$HALF" --count $((CLIPS - HALF)) > "$DIR/render-1.log" 2>&1 || { kill "$pid" 2>/dev/null; cat "$DIR/render-1.log"; exit 1; }
wait "$pid" || { cat "$DIR/render-0.log"; exit 1; }
node --import tsx models/training/make-dataset.ts --out "$DIR/data" --merge
node --import tsx models/training/make-dataset.ts --out "$DIR/val" --split val --clips 8 --seconds 4 --every 5 > "$DIR/render-val.log"
echo "dataset ready after $(( $(date +%s) - start ))s"

echo "== train"
cd models/training
"$PY" train.py --data "$DIR/data" --val "$DIR/val" --out "$DIR/model.pt" \
  --minutes "${TRAIN_MINUTES:-25}" --steps "${TRAIN_STEPS:-12000}" \
  --device "${TRAIN_DEVICE:-cpu}" --threads "${TRAIN_THREADS:-2}" \
  ${TRAIN_STRIDES:+--strides "$TRAIN_STRIDES"} --batch "${TRAIN_BATCH:-32}" --lr "${TRAIN_LR:-0.004}" \
  ${TRAIN_INIT:+--init "$(abs "$TRAIN_INIT")"} | tee "$DIR/train.log"

echo "== export"
[ -s "$DIR/model.pt" ] || { echo "training wrote no checkpoint"; exit 1; }
"$PY" export.py "$DIR/model.pt" "$DIR/model.onnx" 2>&1 | grep -v -i -E "warning|^ |_C._jit" || true
[ -s "$DIR/model.onnx" ] || { echo "export failed"; exit 1; }
cp "$DIR/model.onnx" "$OUT"
cd ../..
echo "wrote $OUT in $(( $(date +%s) - start ))s total"
