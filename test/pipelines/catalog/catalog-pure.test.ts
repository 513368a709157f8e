import t from 'tap';
import { coverageByDay, gapsBetween, gapsWithin, mergeSpans } from '../../../pipelines/catalog/coverage.ts';
import { parseFootagePath } from '../../../pipelines/catalog/layout.ts';
import { mp4StructureProblem } from '../../../pipelines/catalog/mp4-boxes.ts';
import { localDateAt, parseWallTime } from '../../../pipelines/time/zone.ts';

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const T = (s: string) => Date.parse(s);

t.test('local wall time to UTC', async (t) => {
  const rows: [string, string, [number, number, number, number, number, number], string | undefined][] = [
    ['no DST', 'Asia/Shanghai', [2024, 5, 1, 8, 0, 0], '2024-05-01T00:00:00.000Z'],
    ['previous UTC day', 'Asia/Shanghai', [2024, 5, 1, 3, 0, 0], '2024-04-30T19:00:00.000Z'],
    ['DST gap moves forward', 'Europe/Berlin', [2024, 3, 31, 2, 30, 0], '2024-03-31T01:30:00.000Z'],
    ['DST repeat takes the first', 'Europe/Berlin', [2024, 10, 27, 2, 30, 0], '2024-10-27T00:30:00.000Z'],
    ['not a date', 'UTC', [2024, 2, 30, 0, 0, 0], undefined],
    ['not a time', 'UTC', [2024, 2, 1, 24, 0, 0], undefined],
  ];
  for (const [what, tz, [year, month, day, hour, minute, second], want] of rows) {
    t.equal(iso(parseWallTime(tz, { year, month, day, hour, minute, second })), want, what);
  }
  t.equal(localDateAt('Asia/Shanghai', T('2024-05-01T16:30:00Z')), '2024-05-02');
});

t.test('recordings layout', async (t) => {
  t.same(parseFootagePath('CAM-1/2024-05-01/08-30-00.mp4'), { camera: 'CAM-1', localStart: { year: 2024, month: 5, day: 1, hour: 8, minute: 30, second: 0 } });
  t.same(parseFootagePath('CAM-1/2024-05-01/clip.mp4'), { camera: 'CAM-1' });
  t.same(parseFootagePath('CAM-1/export/2024-05-01/08-30-00.mp4'), { camera: 'CAM-1' });
  t.same(parseFootagePath('loose.mp4'), {});
});

t.test('gaps and coverage', async (t) => {
  const spans = [
    { startsAt: T('2024-05-01T15:00:00Z'), endsAt: T('2024-05-01T15:59:59.5Z') },
    { startsAt: T('2024-05-01T16:00:00Z'), endsAt: T('2024-05-01T17:00:00Z') }, // half a second later: not a gap
    { startsAt: T('2024-05-01T18:00:00Z'), endsAt: T('2024-05-01T18:30:00Z') },
  ];
  t.equal(mergeSpans(spans).length, 2);
  t.same(gapsBetween(spans).map((g) => [iso(g.from), iso(g.to)]), [['2024-05-01T17:00:00.000Z', '2024-05-01T18:00:00.000Z']]);
  t.same(
    gapsWithin(spans, T('2024-05-01T14:00:00Z'), T('2024-05-01T18:10:00Z')).map((g) => [iso(g.from), iso(g.to)]),
    [
      ['2024-05-01T14:00:00.000Z', '2024-05-01T15:00:00.000Z'],
      ['2024-05-01T17:00:00.000Z', '2024-05-01T18:00:00.000Z'],
    ],
  );
  // Shanghai midnight is 16:00Z: the first file is on May 1st, the rest on May 2nd.
  const days = coverageByDay(spans, 'Asia/Shanghai');
  t.same(days.map((d) => [d.date, Math.round(d.footageHours * 3600), d.segments, d.gaps]), [
    ['2024-05-01', 3600, 1, 0], // 3599.5 s, rounded
    ['2024-05-02', 5400, 2, 1],
  ]);
});

t.test('mp4 box structure', async (t) => {
  const box = (type: string, size: number) => {
    const b = new Uint8Array(Math.max(size, 8));
    new DataView(b.buffer).setUint32(0, size);
    b.set([...type].map((c) => c.charCodeAt(0)), 4);
    return b;
  };
  const file = (...parts: Uint8Array[]) => {
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) all.set(p, (o += p.length) - p.length);
    return all;
  };
  const check = (bytes: Uint8Array, size = bytes.length) => mp4StructureProblem(size, async (off, len) => bytes.subarray(off, off + len));
  t.equal(await check(file(box('ftyp', 16), box('moov', 24), box('mdat', 40))), undefined);
  t.match(await check(file(box('ftyp', 16), box('moov', 24), box('mdat', 40)).subarray(0, 60)), /truncated: box "mdat" at byte 40 needs 40 bytes but the file ends after 20/);
  t.match(await check(file(box('ftyp', 16), box('mdat', 40))), /no index \(moov box\)/);
  t.equal(await check(new TextEncoder().encode('hello, this is text')), undefined, 'not MP4: ffprobe decides');
  t.equal(await check(new TextEncoder().encode('junk\n')), undefined, 'too short for MP4: ffprobe decides');
});
