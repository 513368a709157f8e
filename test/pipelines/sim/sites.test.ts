// The twin's sites file: valid against the schema (and the geometric checks
// where pipelines/sites/validate.ts exists), readable signal regions, the
// second line placed where straight movers cross it and right turners do not.
import t from 'tap';
import { existsSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { SitesSchema, type SitesFile } from '../../../pipelines/sites/schema.ts';
import { LAYOUT_NAMES, sitesFor, simulateClip } from '../../../pipelines/sim/index.ts';
import { pointInPolygon } from '../../../pipelines/geometry/polygon.ts';

const validatePath = new URL('../../../pipelines/sites/validate.ts', import.meta.url);
type Validator = (sites: unknown) => unknown;
const validator: Validator | undefined = existsSync(validatePath)
  ? ((await import(validatePath.href)) as Record<string, unknown>)['validateSites'] as Validator | undefined
  : undefined;

for (const layout of LAYOUT_NAMES) {
  for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
    t.test(`${layout} at ${width}x${height}`, async (t) => {
      const sites: SitesFile = sitesFor({ seed: 1, layout, width, height });
      t.ok(Value.Check(SitesSchema, sites), [...Value.Errors(SitesSchema, sites)].slice(0, 3).map((e) => `${e.path}: ${e.message}`).join('; ') || 'schema');
      if (validator) t.doesNotThrow(() => validator(sites), 'validateSites accepts it');
      const cal = sites.intersections[0]!.cameras[0]!.calibration!;
      t.ok(cal.approaches.filter((a) => !a.id.endsWith('-nm')).length >= 3, 'at least three motor approaches are calibrated');
      t.ok(cal.crosswalks.length >= 3, 'at least three crosswalks are calibrated');
      // The twin's exposure rule (front within 5 m of the stop line) drawn as each approach's wait zone:
      // it takes in the stop line's middle and reaches upstream, away from the second line.
      for (const a of cal.approaches) {
        if (!a.wait_zone) continue;
        const mid = (l: readonly (readonly number[])[]) => [(l[0]![0]! + l[1]![0]!) / 2, (l[0]![1]! + l[1]![1]!) / 2] as const;
        const [sx, sy] = mid(a.stop_line);
        const [qx, qy] = mid(a.second_line);
        t.ok(pointInPolygon([sx, sy], a.wait_zone), `${a.id}: wait zone takes in the stop line's middle`);
        // A little upstream of the line is in the zone, the same distance downstream (towards the second line) is not, where the picture shows them.
        const up: [number, number] = [sx - 0.1 * (qx - sx), sy - 0.1 * (qy - sy)];
        const down: [number, number] = [sx + 0.7 * (qx - sx), sy + 0.7 * (qy - sy)];
        const shown = (p: [number, number]) => p[0] > 1 && p[1] > 1 && p[0] < width - 1 && p[1] < height - 1;
        if (shown(up)) t.ok(pointInPolygon(up, a.wait_zone), `${a.id}: upstream of the line is in the zone`);
        if (shown(down)) t.notOk(pointInPolygon(down, a.wait_zone), `${a.id}: towards the second line is not`);
      }
      t.ok(cal.approaches.filter((a) => a.wait_zone).length >= 3, 'wait zones drawn');
      const scale = width / 1280;
      const regions = [...cal.approaches.flatMap((a) => a.signals.map((s) => s.region)), ...cal.crosswalks.map((c) => c.signal.region)];
      for (const r of regions) {
        t.ok(r.x + r.width <= width && r.y + r.height <= height, 'region inside the frame');
        t.ok(r.width >= 8 * scale && r.height >= 20 * scale, `region ${r.width}x${r.height} readable`);
      }
      for (let i = 0; i < regions.length; i++) {
        for (let j = i + 1; j < regions.length; j++) {
          const a = regions[i]!;
          const b = regions[j]!;
          t.ok(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y, 'signal regions do not overlap');
        }
      }
      if (layout === 'right-arrow') t.ok(cal.approaches.some((a) => a.signals.some((s) => s.shape === 'arrow' && s.movements.includes('right'))), 'a right arrow governs right turns');
    });
  }
}

t.test('the sites file of a clip equals sitesFor the same seed and layout', async (t) => {
  const clip = simulateClip({ seed: 5, seconds: 1 });
  t.same(clip.sites, sitesFor({ seed: 5 }));
});
