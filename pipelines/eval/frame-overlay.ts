// One analysed frame drawn for a person to check by eye: the ground truth's
// road users (green), the detector's boxes (by class, with their scores), and
// each signal head's state as read beside the state the twin showed. Pure:
// returns the SVG to lay over the frame (the eval's --draw does the I/O).
import type { Box, Detection, SignalColour } from '../types.ts';

export interface OverlaySignal {
  id: string;
  region: { x: number; y: number; width: number; height: number };
  read: SignalColour;
  /** What the twin showed; undefined where it has no truth for the head. */
  truth: SignalColour | undefined;
}

export interface FrameOverlay {
  width: number;
  height: number;
  truth: readonly { box: Box; cls: string }[];
  detections: readonly Detection[];
  signals: readonly OverlaySignal[];
  caption: string;
}

const CLASS_COLOUR: Record<string, string> = { vehicle: '#ff4040', large_vehicle: '#ff9900', non_motor: '#3399ff', pedestrian: '#ff33cc' };
const SIGNAL_COLOUR: Record<SignalColour, string> = { red: '#ff3030', amber: '#ffb000', green: '#30e030', off: '#a0a0a0', unknown: '#ffffff' };
const SHORT: Record<string, string> = { vehicle: 'veh', large_vehicle: 'large', non_motor: 'nm', pedestrian: 'ped' };

const n = (x: number) => Math.round(x * 10) / 10;
const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const rect = (b: Box, stroke: string, width: number, dash = '') =>
  `<rect x="${n(b.x1)}" y="${n(b.y1)}" width="${n(b.x2 - b.x1)}" height="${n(b.y2 - b.y1)}" fill="none" stroke="${stroke}" stroke-width="${width}"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`;
const text = (x: number, y: number, s: string, fill: string, size = 11) =>
  `<text x="${n(x)}" y="${n(y)}" font-family="sans-serif" font-size="${size}" fill="${fill}" stroke="#000000" stroke-width="0.4">${esc(s)}</text>`;

export function frameOverlaySvg(o: FrameOverlay): string {
  const out: string[] = [];
  for (const t of o.truth) out.push(rect(t.box, '#40ff40', 1, '3,2'));
  for (const d of o.detections) {
    const c = CLASS_COLOUR[d.cls] ?? '#ffffff';
    out.push(rect(d.box, c, 1.5));
    out.push(text(d.box.x1, Math.max(10, d.box.y1 - 2), `${SHORT[d.cls] ?? d.cls} ${d.score.toFixed(2)}`, c, 10));
  }
  for (const s of o.signals) {
    const right = s.truth === undefined || s.read === s.truth;
    out.push(rect({ x1: s.region.x, y1: s.region.y, x2: s.region.x + s.region.width, y2: s.region.y + s.region.height }, right ? '#ffffff' : '#ff0000', right ? 1 : 2));
    const label = s.truth === undefined ? s.read : right ? s.read : `${s.read} (twin: ${s.truth})`;
    out.push(text(s.region.x + s.region.width + 3, s.region.y + 10, label, SIGNAL_COLOUR[s.read], 11));
  }
  const legend = `${o.caption}   green dashed: truth · veh / large / nm / ped: detector · signal: as read`;
  out.push(`<rect x="0" y="${o.height - 20}" width="${o.width}" height="20" fill="#000000" fill-opacity="0.6"/>`);
  out.push(text(6, o.height - 6, legend, '#ffffff', 12));
  return `<svg width="${o.width}" height="${o.height}" xmlns="http://www.w3.org/2000/svg">${out.join('')}</svg>`;
}
