// Render + encode speed of the digital twin: median realtime factor of a
// few 1280x720 25 fps clips piped into libx264, plus render-only for scale.
//   npx tsx scripts/bench-sim.ts [--seconds 8] [--runs 3] [--conditions day] [--preset veryfast]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../services/config.ts';
import { mediaBinaries } from '../services/media/binaries.ts';
import { lookOf, renderFrames, simulateClip, startEncoder } from '../pipelines/sim/bench-api.ts';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '8' }, runs: { type: 'string', default: '3' }, conditions: { type: 'string', default: 'day' }, preset: { type: 'string', default: 'veryfast' }, width: { type: 'string', default: '1280' }, height: { type: 'string', default: '720' } },
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const width = Number(values.width);
const height = Number(values.height);
const { ffmpeg } = mediaBinaries(loadConfig());
const dir = mkdtempSync(path.join(tmpdir(), 'bench-sim-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const renderOnly: number[] = [];
const encoded: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const clip = simulateClip({ seed: 100 + i, seconds, conditions: values.conditions, width, height });
    let t0 = performance.now();
    await renderFrames(clip, { write() {} });
    renderOnly.push(seconds / ((performance.now() - t0) / 1000));
    t0 = performance.now();
    const enc = startEncoder({ ffmpegPath: ffmpeg, out: path.join(dir, `b${i}.mp4`), width, height, fps: 25, crf: lookOf(clip.conditions).crf, preset: values.preset });
    await renderFrames(clip, enc);
    await enc.finish();
    encoded.push(seconds / ((performance.now() - t0) / 1000));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`render only:     ${renderOnly.map((x) => x.toFixed(2)).join(' ')}  median ${median(renderOnly).toFixed(2)}x realtime`);
console.log(`render + encode: ${encoded.map((x) => x.toFixed(2)).join(' ')}  median ${median(encoded).toFixed(2)}x realtime (${width}x${height} 25 fps, ${values.conditions}, preset ${values.preset})`);
