// Render + encode speed of the digital twin: median realtime factor of a
// few 1280x720 25 fps clips piped into libx264, plus render-only for scale.
//   npx tsx scripts/bench-sim.ts [--seconds 8] [--runs 3] [--conditions day] [--preset veryfast]
//     [--x264-params PARAMS ...]   each one an encoder variant ('' = the preset alone; default:
//                                  the twin's own tuning), run in turn on the same clips so
//                                  that load hits all of them alike
// Prints the machine's load average with the figures: on a shared machine they move with it.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../services/config.ts';
import { mediaBinaries } from '../services/media/binaries.ts';
import { lookOf, renderFrames, simulateClip, startEncoder, x264ParamsOf } from '../pipelines/sim/bench-api.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    runs: { type: 'string', default: '3' },
    conditions: { type: 'string', default: 'day' },
    preset: { type: 'string', default: 'veryfast' },
    'x264-params': { type: 'string', multiple: true },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '720' },
  },
});
const seconds = Number(values.seconds);
const runs = Number(values.runs);
const width = Number(values.width);
const height = Number(values.height);
const preset = values.preset;
const variants = (values['x264-params'] ?? [undefined]).map((p) => x264ParamsOf({ preset, ...(p === undefined ? {} : { x264Params: p }) }));
const { ffmpeg } = mediaBinaries(loadConfig());
const dir = mkdtempSync(path.join(tmpdir(), 'bench-sim-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

// Warm-up: fluent-ffmpeg probes ffmpeg's formats and codecs before its first encode; keep that out of the timings.
{
  const warm = startEncoder({ ffmpegPath: ffmpeg, out: path.join(dir, 'warm-up.mp4'), width: 64, height: 64, fps: 25 });
  for (let i = 0; i < 2; i++) await warm.write((await warm.buffer()).fill(0), i);
  await warm.finish();
}
const loadBefore = load();
const renderOnly: number[] = [];
const encoded = variants.map(() => [] as number[]);
try {
  for (let i = 0; i < runs; i++) {
    const clip = simulateClip({ seed: 100 + i, seconds, conditions: values.conditions, width, height });
    // Render only: drawing into one reused buffer, as the encoder's recycled buffers are drawn into.
    const scratch = Buffer.allocUnsafe(width * height * 3);
    let t0 = performance.now();
    await renderFrames(clip, { buffer: () => scratch, write() {} });
    renderOnly.push(seconds / ((performance.now() - t0) / 1000));
    for (const [v, x264Params] of variants.entries()) {
      t0 = performance.now();
      const enc = startEncoder({ ffmpegPath: ffmpeg, out: path.join(dir, `b${i}-${v}.mp4`), width, height, fps: 25, crf: lookOf(clip.conditions).crf, preset, x264Params });
      await renderFrames(clip, enc);
      await enc.finish();
      encoded[v]!.push(seconds / ((performance.now() - t0) / 1000));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`load average (1/5/15 min): before ${loadBefore}, after ${load()}`);
console.log(`render only:     ${renderOnly.map((x) => x.toFixed(2)).join(' ')}  median ${median(renderOnly).toFixed(2)}x realtime`);
for (const [v, x264Params] of variants.entries()) {
  const xs = encoded[v]!;
  console.log(`render + encode: ${xs.map((x) => x.toFixed(2)).join(' ')}  median ${median(xs).toFixed(2)}x realtime (${width}x${height} 25 fps, ${values.conditions}, preset ${preset}, x264-params '${x264Params}')`);
}
