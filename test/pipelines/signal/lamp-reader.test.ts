import t from 'tap';
import { readLamps, type Orientation, type HeadKind } from '../../../pipelines/signal/lamp-reader.ts';
import type { SignalColour } from '../../../pipelines/types.ts';

type Style = 'day' | 'night' | 'rain';
const LIT: Record<string, [number, number, number]> = { red: [235, 40, 30], amber: [240, 170, 20], green: [40, 220, 90] };

/** Draws a head: dark housing, round lamps, one lit (or none), in a given style. */
function head(kind: HeadKind, orientation: Orientation, lit: SignalColour | null, style: Style, along = 30, across = 10, seed = 1): { data: Uint8Array; width: number; height: number } {
  const order = kind === 'vehicle' ? ['red', 'amber', 'green'] : ['red', 'green'];
  const width = orientation === 'vertical' ? across : along;
  const height = orientation === 'vertical' ? along : across;
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  const noise = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * (style === 'rain' ? 40 : 12);
  const cell = along / order.length;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = orientation === 'vertical' ? y : x;
      const c = orientation === 'vertical' ? x : y;
      const i = Math.min(order.length - 1, Math.floor(a / cell));
      const d = Math.hypot(a - (i + 0.5) * cell, c - across / 2) / (Math.min(cell, across) / 2);
      let rgb: number[] = style === 'night' ? [12, 12, 14] : [35, 35, 38];
      const colour = order[i]!;
      if (d < 0.8) {
        if (colour === lit) {
          const base = LIT[colour]!;
          rgb = style === 'night' && d < 0.45 ? [250, 245, 235] : base.map((v) => (style === 'rain' ? v * 0.75 + 40 : v));
        } else {
          rgb = LIT[colour]!.map((v) => v * (style === 'night' ? 0.08 : 0.22) + (style === 'rain' ? 45 : 10));
        }
      } else if (style === 'night' && lit === colour && d < 1.3) {
        rgb = LIT[colour]!.map((v) => v * 0.6);
      }
      const p = (y * width + x) * 3;
      for (let k = 0; k < 3; k++) data[p + k] = Math.max(0, Math.min(255, Math.round(rgb[k]! + noise())));
    }
  }
  return { data, width, height };
}

const rows: [string, HeadKind, Orientation, SignalColour | null, Style, SignalColour, number?, number?][] = [];
for (const style of ['day', 'night', 'rain'] as Style[]) {
  for (const orientation of ['vertical', 'horizontal'] as Orientation[]) {
    for (const c of ['red', 'amber', 'green'] as SignalColour[]) rows.push([`vehicle ${c} ${orientation} ${style}`, 'vehicle', orientation, c, style, c]);
    for (const c of ['red', 'green'] as SignalColour[]) rows.push([`pedestrian ${c} ${orientation} ${style}`, 'pedestrian', orientation, c, style, c, 16, 8]);
  }
  rows.push([`dark head ${style} reads off`, 'vehicle', 'vertical', null, style, 'off']);
}
rows.push(['small head (9x3 px lamps) still reads', 'vehicle', 'vertical', 'red', 'day', 'red', 12, 4]);
rows.push(['head too small to split is unknown', 'vehicle', 'vertical', 'red', 'day', 'unknown', 6, 2]);

for (const [name, kind, orientation, lit, style, expected, along, across] of rows) {
  t.test(name, async (t) => {
    const img = head(kind, orientation, lit, style, along, across);
    t.equal(readLamps(img, kind, orientation).colour, expected);
  });
}

t.test('a lit lamp of the wrong hue in the red position is unknown, not red', async (t) => {
  const img = head('vehicle', 'vertical', 'red', 'day');
  // Repaint the red lamp's pixels saturated green: a reflection, not a red signal.
  for (let p = 0; p < img.data.length; p += 3) if (img.data[p]! > 150) img.data.set([30, 220, 60], p);
  t.equal(readLamps(img, 'vehicle', 'vertical').colour, 'unknown');
});

t.test('reads through a stride/offset view of a larger crop', async (t) => {
  const img = head('vehicle', 'horizontal', 'green', 'day');
  const W = img.width + 10;
  const big = new Uint8Array(W * (img.height + 4) * 3);
  for (let y = 0; y < img.height; y++) big.set(img.data.subarray(y * img.width * 3, (y + 1) * img.width * 3), ((y + 2) * W + 5) * 3);
  const view = { data: big, width: img.width, height: img.height, stride: W * 3, offset: (2 * W + 5) * 3 };
  t.equal(readLamps(view, 'vehicle', 'horizontal').colour, 'green');
});

/** A white lorry behind the head: every pixel outside the lamp discs is near white. */
function withWhiteBehind(img: { data: Uint8Array; width: number; height: number }, along = 30, across = 10, n = 3) {
  const data = img.data.slice();
  const cell = along / n;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const d = Math.hypot(y - (Math.min(n - 1, Math.floor(y / cell)) + 0.5) * cell, x - across / 2) / (Math.min(cell, across) / 2);
      if (d >= 0.8) data.fill(232, (y * img.width + x) * 3, (y * img.width + x) * 3 + 3);
    }
  }
  return { ...img, data };
}

const behindRows: [string, SignalColour | null, SignalColour][] = [
  ['white lorry behind the head, red lit: read by colour, red', 'red', 'red'],
  ['white lorry behind the head, green lit: read by colour, green', 'green', 'green'],
  ['white lorry behind a dark head: no colourful lamp, unknown (never guessed)', null, 'unknown'],
];
for (const [name, lit, expected] of behindRows) {
  t.test(name, async (t) => t.equal(readLamps(withWhiteBehind(head('vehicle', 'vertical', lit, 'day')), 'vehicle', 'vertical').colour, expected));
}
