// The checks a JSON schema cannot express, on a sites file whose shape is
// already valid: codes and ids unique, time zones real, geometry inside the
// camera's image and drawable (lines with two distinct points, polygons that
// do not cross themselves), and lines placed as the rules need them.
import { segmentsIntersect } from '../geometry/segment.ts';
import { polygonArea, selfIntersections } from '../geometry/polygon.ts';
import type { PathIssue } from '../errors.ts';
import type { Point, Polygon, Segment } from '../types.ts';
import type { Approach, Calibration, CameraSite, GroundPoint, SignalRegion, SitesFile } from './schema.ts';
import { planeMap, type PlaneMap } from '../geometry/homography.ts';
import { isTimeZone } from '../time/zone.ts';

interface Image {
  width: number;
  height: number;
}

export function siteIssues(sites: SitesFile): PathIssue[] {
  const issues: PathIssue[] = nulIssues(sites, '');
  const intersectionCodes = new Uniques('intersection code');
  const cameraCodes = new Uniques('camera code');
  sites.intersections.forEach((ix, i) => {
    const at = `/intersections/${i}`;
    intersectionCodes.check(ix.code, `${at}/code`, issues);
    if (ix.time_zone !== undefined && !isTimeZone(ix.time_zone)) {
      issues.push({ path: `${at}/time_zone`, message: `"${ix.time_zone}" is not a known time zone: use an IANA name such as "Asia/Shanghai"` });
    }
    ix.cameras.forEach((cam, j) => {
      cameraCodes.check(cam.code, `${at}/cameras/${j}/code`, issues);
      if (cam.calibration) issues.push(...calibrationIssues(cam.calibration, `${at}/cameras/${j}/calibration`, cam.resolution, cam));
    });
  });
  return issues;
}

/** Remembers where each value was first used, to point a duplicate at it. */
class Uniques {
  private readonly first = new Map<string, string>();
  constructor(
    private readonly what: string,
    private readonly scope = '',
  ) {}
  check(value: string, path: string, issues: PathIssue[]): void {
    const prior = this.first.get(value);
    if (prior) issues.push({ path, message: `${this.what} "${value}" is already used${this.scope} at ${prior}` });
    else this.first.set(value, path);
  }
}

function calibrationIssues(cal: Calibration, at: string, image: Image, cam: CameraSite): PathIssue[] {
  const issues: PathIssue[] = [];
  const ids = { approach: new Uniques('approach id'), signal: new Uniques('signal id', ` on camera "${cam.code}"`), crosswalk: new Uniques('crosswalk id') };
  issues.push(...polygonIssues(cal.carriageway, `${at}/carriageway`, image));
  cal.approaches.forEach((ap, k) => {
    const apAt = `${at}/approaches/${k}`;
    ids.approach.check(ap.id, `${apAt}/id`, issues);
    issues.push(...approachIssues(ap, apAt, image));
    ap.signals.forEach((s, si) => ids.signal.check(s.id, `${apAt}/signals/${si}/id`, issues));
  });
  cal.crosswalks.forEach((cw, c) => {
    const cwAt = `${at}/crosswalks/${c}`;
    ids.crosswalk.check(cw.id, `${cwAt}/id`, issues);
    ids.signal.check(cw.signal.id, `${cwAt}/signal/id`, issues);
    issues.push(...polygonIssues(cw.polygon, `${cwAt}/polygon`, image));
    issues.push(...regionIssues(cw.signal.region, `${cwAt}/signal/region`, image));
  });
  if (cal.ground) issues.push(...groundIssues(cal.ground, `${at}/ground`, image));
  return issues;
}

/** A point measured more than this far (metres) from where the other points place it is a measuring slip. */
const GROUND_TOLERANCE_M = 0.5;

/**
 * Ground points must fix one plane: inside the picture, distinct, not three
 * of four on a line, and consistent with each other (the fit through all of
 * them places each within GROUND_TOLERANCE_M of its measurement).
 */
function groundIssues(points: readonly GroundPoint[], at: string, image: Image): PathIssue[] {
  const outside = points.flatMap((g, i) => pointOutside(g.image, `${at}/${i}/image`, image));
  if (outside.length > 0) return outside;
  const pairs = points.map((g) => ({ from: g.image, to: g.metres }));
  const map = planeMap(pairs);
  if (!map) {
    return [{ path: at, message: 'these points do not fix the ground plane: use at least four points spread over the road, no three of them on one line in the picture or on the ground, each image point with its own measured position' }];
  }
  // Residuals of a fit spread one slip over every point: name the worst, and
  // measure it against the plane the other points fix.
  const off = (m: PlaneMap, g: GroundPoint) => {
    const p = m(g.image);
    return p ? Math.hypot(p[0] - g.metres[0], p[1] - g.metres[1]) : Infinity;
  };
  const worst = points.map((g, i) => ({ i, d: off(map, g) })).sort((a, b) => b.d - a.d)[0]!;
  if (worst.d <= GROUND_TOLERANCE_M) return [];
  const others = planeMap(pairs.filter((_, i) => i !== worst.i));
  const d = others ? off(others, points[worst.i]!) : worst.d;
  const how = Number.isFinite(d) ? `${d.toFixed(2)} m` : 'far';
  return [{ path: `${at}/${worst.i}`, message: `this point is ${how} from where the other points place it on the ground (tolerance ${GROUND_TOLERANCE_M} m): check its pixel and its measurement` }];
}

function approachIssues(ap: Approach, at: string, image: Image): PathIssue[] {
  const issues: PathIssue[] = [];
  const stop = lineIssues(ap.stop_line, `${at}/stop_line`, image);
  const second = lineIssues(ap.second_line, `${at}/second_line`, image);
  issues.push(...stop, ...second);
  if (stop.length === 0 && second.length === 0 && segmentsIntersect(segment(ap.stop_line), segment(ap.second_line))) {
    issues.push({
      path: `${at}/second_line`,
      message: 'the second line touches or crosses the stop line: draw it apart, beyond the stop line inside the junction, so a road user crosses one and then the other',
    });
  }
  const laneIds = new Uniques('lane id', ` in approach "${ap.id}"`);
  const governed = new Set(ap.signals.flatMap((s) => s.movements));
  ap.lanes.forEach((lane, l) => {
    laneIds.check(lane.id, `${at}/lanes/${l}/id`, issues);
    issues.push(...polygonIssues(lane.polygon, `${at}/lanes/${l}/polygon`, image));
    lane.movements.forEach((m, mi) => {
      // A right turn may have no signal of its own (free right turn); the others must.
      if (m !== 'right' && !governed.has(m)) {
        issues.push({ path: `${at}/lanes/${l}/movements/${mi}`, message: `no signal of approach "${ap.id}" governs the "${m}" movement: add it to a signal's movements` });
      }
    });
  });
  ap.signals.forEach((s, si) => issues.push(...regionIssues(s.region, `${at}/signals/${si}/region`, image)));
  if (ap.wait_zone) issues.push(...polygonIssues(ap.wait_zone, `${at}/wait_zone`, image));
  return issues;
}

/** The schema guarantees exactly two points. */
function segment(line: readonly Point[]): Segment {
  return [line[0]!, line[1]!];
}

function lineIssues(points: readonly Point[], at: string, image: Image): PathIssue[] {
  const outside = pointsOutside(points, at, image);
  if (outside.length > 0) return outside;
  const line = segment(points);
  if (line[0][0] === line[1][0] && line[0][1] === line[1][1]) {
    return [{ path: at, message: 'both points of the line are the same: a line with one point cannot be crossed' }];
  }
  return [];
}

function polygonIssues(poly: Polygon, at: string, image: Image): PathIssue[] {
  const outside = pointsOutside(poly, at, image);
  if (outside.length > 0) return outside;
  const crossings = selfIntersections(poly);
  if (crossings.length > 0) {
    const [a, b] = crossings[0]!;
    return [
      {
        path: at,
        message: `the polygon crosses itself (the edge from point ${a} to point ${(a + 1) % poly.length} meets the edge from point ${b} to point ${(b + 1) % poly.length}): list the points in order around the area`,
      },
    ];
  }
  if (polygonArea(poly) === 0) return [{ path: at, message: 'the polygon has no area: its points lie on one line' }];
  return [];
}

function pointsOutside(points: readonly Point[], at: string, image: Image): PathIssue[] {
  return points.flatMap((p, i) => pointOutside(p, `${at}/${i}`, image));
}

function pointOutside(p: Point, path: string, image: Image): PathIssue[] {
  return p[0] < 0 || p[1] < 0 || p[0] > image.width || p[1] > image.height
    ? [{ path, message: `point [${p[0]}, ${p[1]}] lies outside the ${image.width}×${image.height} image` }]
    : [];
}

function regionIssues(r: SignalRegion, at: string, image: Image): PathIssue[] {
  if (r.x + r.width <= image.width && r.y + r.height <= image.height) return [];
  return [
    {
      path: at,
      message: `the signal region (x ${r.x}..${r.x + r.width}, y ${r.y}..${r.y + r.height}) reaches outside the ${image.width}×${image.height} image: check the camera's resolution and the region`,
    },
  ];
}

/**
 * Text holding a NUL character (U+0000): PostgreSQL can store it neither in
 * text nor in jsonb, so it is refused here, by its path, rather than by the
 * database mid-import.
 */
function nulIssues(value: unknown, path: string): PathIssue[] {
  if (typeof value === 'string') return value.includes('\u0000') ? [{ path, message: 'contains a NUL character (\\u0000), which text fields cannot hold' }] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => nulIssues(v, `${path}/${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => nulIssues(v, `${path}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  }
  return [];
}
