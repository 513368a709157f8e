import t from 'tap';
import { validateSites } from '../../../pipelines/sites/validate.ts';
import { exampleSites } from '../../helpers/sites.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const CAM = '/intersections/0/cameras/0';
const CAL = `${CAM}/calibration`;
const AP = `${CAL}/approaches/0`;

t.test('the example is valid', async (t) => {
  const r = validateSites(exampleSites());
  t.same(r.ok ? [] : r.issues, []);
});

// One row per mistake: [what, how to break the example, expected path, expected message].
const cases: [string, (s: Json) => void, string, RegExp][] = [
  ['not an object', (s) => Object.assign(s, { intersections: 'none' }), '/intersections', /must be a list/],
  ['wrong format tag', (s) => (s.format = 'sites/2'), '/format', /must be "crosswatch-sites\/1"/],
  ['missing name', (s) => delete s.intersections[0].name, '/intersections/0/name', /"name" is missing/],
  ['unknown field', (s) => (s.intersections[0].cameras[0].fps = 25), `${CAM}/fps`, /unknown field "fps"/],
  ['bad code', (s) => (s.intersections[0].code = 'has space'), '/intersections/0/code', /not a valid code/],
  ['line with one point', (s) => (s.intersections[0].cameras[0].calibration.approaches[0].stop_line = [[10, 10]]), `${AP}/stop_line`, /a line needs exactly two points.*got 1/],
  ['line with two equal points', (s) => (s.intersections[0].cameras[0].calibration.approaches[0].stop_line = [[10, 10], [10, 10]]), `${AP}/stop_line`, /a line with one point/],
  ['point not [x, y]', (s) => (s.intersections[0].cameras[0].calibration.approaches[0].second_line[1] = [5]), `${AP}/second_line/1`, /a point is \[x, y\]/],
  ['polygon with two points', (s) => (s.intersections[0].cameras[0].calibration.carriageway = [[0, 0], [5, 5]]), `${CAL}/carriageway`, /at least three points, got 2/],
  ['polygon that crosses itself', (s) => (s.intersections[0].cameras[0].calibration.carriageway = [[0, 0], [100, 100], [100, 0], [0, 100]]), `${CAL}/carriageway`, /crosses itself/],
  ['polygon on one line', (s) => (s.intersections[0].cameras[0].calibration.crosswalks[0].polygon = [[0, 0], [10, 10], [20, 20]]), `${CAL}/crosswalks/0/polygon`, /no area/],
  ['lane crossing itself', (s) => (s.intersections[0].cameras[0].calibration.approaches[0].lanes[1].polygon = [[700, 820], [1500, 1060], [1500, 820], [700, 1060]]), `${AP}/lanes/1/polygon`, /crosses itself/],
  ['signal region outside the image', (s) => (s.intersections[0].cameras[0].calibration.approaches[0].signals[1].region.x = 1900), `${AP}/signals/1/region`, /outside the 1920×1080 image/],
  ['pedestrian signal outside the image', (s) => (s.intersections[0].cameras[0].calibration.crosswalks[0].signal.region.y = 1070), `${CAL}/crosswalks/0/signal/region`, /outside the 1920×1080 image/],
  ['point outside the image', (s) => (s.intersections[0].cameras[0].calibration.approaches[0].stop_line[1] = [2500, 800]), `${AP}/stop_line/1`, /\[2500, 800\] lies outside/],
  ['unknown movement', (s) => (s.intersections[0].cameras[0].calibration.approaches[0].lanes[0].movements = ['u-turn']), `${AP}/lanes/0/movements/0`, /unknown movement "u-turn": use one of "left", "straight", "right"/],
  ['movement without a signal', (s) => (s.intersections[0].cameras[0].calibration.approaches[0].signals[0].movements = ['right']), `${AP}/lanes/0/movements/0`, /no signal of approach "north" governs the "left" movement/],
  ['unknown signal shape', (s) => (s.intersections[0].cameras[0].calibration.approaches[0].signals[0].shape = 'square'), `${AP}/signals/0/shape`, /unknown value "square"/],
  ['duplicate intersection code', (s) => s.intersections.push({ ...structuredClone(s.intersections[0]), cameras: [{ code: 'OTHER', resolution: { width: 640, height: 480 } }] }), '/intersections/1/code', /intersection code "XH-001" is already used at \/intersections\/0\/code/],
  ['duplicate camera code', (s) => (s.intersections[0].cameras[1].code = 'XH-001-N'), '/intersections/0/cameras/1/code', /camera code "XH-001-N" is already used at \/intersections\/0\/cameras\/0\/code/],
  ['duplicate lane id', (s) => (s.intersections[0].cameras[0].calibration.approaches[0].lanes[1].id = 'n-left'), `${AP}/lanes/1/id`, /lane id "n-left" is already used in approach "north"/],
  ['duplicate signal id', (s) => (s.intersections[0].cameras[0].calibration.crosswalks[0].signal.id = 'sig-n-main'), `${CAL}/crosswalks/0/signal/id`, /signal id "sig-n-main" is already used on camera "XH-001-N" at .*signals\/1\/id/],
  ['unknown time zone', (s) => (s.intersections[0].time_zone = 'Asia/Atlantis'), '/intersections/0/time_zone', /"Asia\/Atlantis" is not a known time zone/],
  ['stop line and second line cross', (s) => (s.intersections[0].cameras[0].calibration.approaches[0].second_line = [[900, 700], [900, 900]]), `${AP}/second_line`, /crosses the stop line/],
  ['no cameras', (s) => (s.intersections[0].cameras = []), '/intersections/0/cameras', /at least 1 entry, got 0/],
  ['three ground points', (s) => s.intersections[0].cameras[0].calibration.ground.pop(), `${CAL}/ground`, /at least 4 points measured on the road to fix the ground plane, got 3/],
  ['ground position not [x, y]', (s) => (s.intersections[0].cameras[0].calibration.ground[2].metres = [14]), `${CAL}/ground/2/metres`, /a ground position is \[x, y\]: two numbers, in metres/],
  ['ground point outside the image', (s) => (s.intersections[0].cameras[0].calibration.ground[1].image = [2000, 780]), `${CAL}/ground/1/image`, /lies outside/],
  ['ground points three on a line', (s) => (s.intersections[0].cameras[0].calibration.ground[2] = { image: [900, 780], metres: [7, 0] }), `${CAL}/ground`, /do not fix the ground plane/],
  ['ground point with a measuring slip', (s) => s.intersections[0].cameras[0].calibration.ground.push({ image: [900, 740], metres: [7, 5] }), `${CAL}/ground/4`, /this point is \d+\.\d\d m from where the other points place it on the ground/],
  ['resolution not a whole number', (s) => (s.intersections[0].cameras[1].resolution.width = 12.5), '/intersections/0/cameras/1/resolution/width', /whole number/],
];

for (const [what, breakIt, path, message] of cases) {
  t.test(what, async (t) => {
    const sites = exampleSites();
    breakIt(sites);
    const r = validateSites(sites);
    if (r.ok) return t.fail('accepted');
    const hit = r.issues.find((i) => i.path === path);
    t.ok(hit, `an issue at ${path}; got ${JSON.stringify(r.issues)}`);
    t.match(hit?.message ?? '', message);
  });
}

t.test('a missing field is reported once', async (t) => {
  const sites: Json = exampleSites();
  delete sites.intersections[0].name;
  const r = validateSites(sites);
  t.same(r.ok ? [] : r.issues, [{ path: '/intersections/0/name', message: '"name" is missing' }]);
});

t.test('null is not a sites file', async (t) => {
  const r = validateSites(null);
  t.same(r.ok ? [] : r.issues.map((i) => i.path), ['']);
});

t.test('text with a NUL character is refused by its path (PostgreSQL text and jsonb cannot hold it)', async (t) => {
  const sites = exampleSites() as unknown as { intersections: { district?: string; cameras: { name?: string }[] }[] };
  sites.intersections[0]!.district = 'Xicheng\u0000';
  const r = validateSites(sites);
  t.equal(r.ok, false);
  if (!r.ok) t.same(r.issues.map((i) => i.path), ['/intersections/0/district']);
  t.match(!r.ok && r.issues[0]!.message, /NUL/);
});
