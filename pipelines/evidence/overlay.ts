// The drawing on top of the three panels, as one SVG: road-user boxes,
// signal heads with their state, stop and second lines, captions and the
// stamp. Pure string building; sharp/librsvg renders it.
import type { Box, Segment, SignalColour } from '../types.ts';
import type { Rect } from '../decode/types.ts';

export interface PanelDrawing {
  /** Panel's left edge on the canvas. */
  left: number;
  top: number;
  /** Canvas pixels per source pixel, and the source rectangle shown. */
  scale: number;
  view: Rect;
  box: Box;
  signal?: { region: Rect; colour: SignalColour; label?: string };
  lines: readonly Segment[];
  caption: string;
}

export interface OverlaySpec {
  width: number;
  height: number;
  panelHeight: number;
  panels: PanelDrawing[];
  stamp: string[];
}

const COLOUR: Record<SignalColour, string> = { red: '#ff2020', amber: '#ffb000', green: '#20d040', off: '#808080', unknown: '#c0c0c0' };
const FONT = 'DejaVu Sans, Liberation Sans, Arial, sans-serif';

export function overlaySvg(spec: OverlaySpec): string {
  const body = spec.panels.map((p) => panelSvg(p, spec.panelHeight)).join('');
  const stampTop = spec.panelHeight;
  const stamp = spec.stamp
    .map((line, i) => `<text x="12" y="${stampTop + 26 + i * 24}" font-size="18" fill="#ffffff">${escapeXml(line)}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${spec.height}" font-family="${FONT}">${body}${stamp}</svg>`;
}

function panelSvg(p: PanelDrawing, panelHeight: number): string {
  const map = (x: number, y: number): [number, number] => [p.left + (x - p.view.x) * p.scale, p.top + (y - p.view.y) * p.scale];
  const out: string[] = [];
  out.push(`<svg x="${p.left}" y="${p.top}" width="${Math.round(p.view.width * p.scale)}" height="${panelHeight}" overflow="hidden"><g transform="translate(${-p.left},${-p.top})">`);
  for (const [a, b] of p.lines) {
    const [x1, y1] = map(a[0], a[1]);
    const [x2, y2] = map(b[0], b[1]);
    out.push(`<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="#ffffff" stroke-width="2" stroke-dasharray="8 5" opacity="0.8"/>`);
  }
  const [bx, by] = map(p.box.x1, p.box.y1);
  const [bx2, by2] = map(p.box.x2, p.box.y2);
  out.push(`<rect x="${n(bx)}" y="${n(by)}" width="${n(bx2 - bx)}" height="${n(by2 - by)}" fill="none" stroke="#ffe000" stroke-width="3"/>`);
  if (p.signal) {
    const [sx, sy] = map(p.signal.region.x, p.signal.region.y);
    const colour = COLOUR[p.signal.colour];
    const w = p.signal.region.width * p.scale;
    const h = p.signal.region.height * p.scale;
    const label = escapeXml(p.signal.label ?? p.signal.colour.toUpperCase());
    out.push(`<rect x="${n(sx - 2)}" y="${n(sy - 2)}" width="${n(w + 4)}" height="${n(h + 4)}" fill="none" stroke="${colour}" stroke-width="3"/>`);
    out.push(`<text x="${n(sx + w + 6)}" y="${n(sy + 16)}" font-size="15" font-weight="bold" fill="${colour}" stroke="#000000" stroke-width="0.6">${label}</text>`);
  }
  out.push('</g></svg>');
  out.push(`<rect x="${p.left}" y="${p.top}" width="${Math.round(p.view.width * p.scale)}" height="26" fill="#000000" opacity="0.6"/>`);
  out.push(`<text x="${p.left + 8}" y="${p.top + 19}" font-size="16" fill="#ffffff">${escapeXml(p.caption)}</text>`);
  return out.join('');
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

function n(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}
