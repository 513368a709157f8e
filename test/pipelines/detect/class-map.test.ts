import t from 'tap';
import { COCO_CLASSES, resolveClassMap } from '../../../pipelines/detect/class-map.ts';
import { mergeRiders } from '../../../pipelines/detect/rider.ts';
import { Candidates } from '../../../pipelines/detect/types.ts';
import { ROAD_USER_CLASSES } from '../../../pipelines/types.ts';

t.test('COCO has 80 classes in export order', async (t) => {
  t.equal(COCO_CLASSES.length, 80);
  t.same([0, 1, 2, 3, 5, 7].map((i) => COCO_CLASSES[i]), ['person', 'bicycle', 'car', 'motorcycle', 'bus', 'truck']);
});

t.test('default map: COCO road users kept, the rest dropped', async (t) => {
  const { map, issues } = resolveClassMap(COCO_CLASSES, undefined);
  t.same(issues, []);
  const ours = (name: string) => ROAD_USER_CLASSES[map.toOurs[COCO_CLASSES.indexOf(name)]!] ?? 'dropped';
  t.same(
    ['person', 'bicycle', 'motorcycle', 'car', 'bus', 'truck', 'train', 'dog', 'traffic light'].map(ours),
    ['pedestrian', 'non_motor', 'non_motor', 'vehicle', 'large_vehicle', 'large_vehicle', 'dropped', 'dropped', 'dropped'],
  );
});

t.test('our own class names map to themselves', async (t) => {
  const { map, issues } = resolveClassMap(ROAD_USER_CLASSES, undefined);
  t.same(issues, []);
  t.same(Array.from(map.toOurs), [0, 1, 2, 3]);
});

const invalid: [string, string[], Record<string, string>, RegExp][] = [
  ['class the model lacks', ['car', 'person'], { car: 'vehicle', tram: 'large_vehicle' }, /\/class_map\/tram: the model has no class "tram"/],
  ['target not ours', ['car'], { car: 'automobile' }, /\/class_map\/car: "automobile" is not a road-user class/],
  ['maps nothing', ['cat', 'dog'], {}, /\/class_map: maps none/],
  ['slash in a name is escaped', ['car'], { 'a/b': 'vehicle' }, /\/class_map\/a~1b:/],
];
for (const [name, classes, userMap, re] of invalid) {
  t.test(`invalid class map: ${name}`, async (t) => {
    const { issues } = resolveClassMap(classes, userMap);
    t.match(issues.map((i) => `${i.path}: ${i.message}`).join('\n'), re);
  });
}

// Rider merge, in model pixels. Model classes: 0 person, 1 bicycle, 2 car.
const names = ['person', 'bicycle', 'car'];
const { map } = resolveClassMap(names, { person: 'pedestrian', bicycle: 'non_motor', car: 'vehicle' });
type B = [x1: number, y1: number, x2: number, y2: number, modelCls: number, score: number];
const riderCases: [string, B[], string[]][] = [
  ['rider on a bike → one non_motor, union box', [[20, 30, 34, 60, 1, 0.8], [22, 10, 32, 50, 0, 0.9]], ['non_motor 20,10,34,60 0.9']],
  ['pedestrian beside a bike stays', [[20, 30, 34, 60, 1, 0.8], [40, 20, 48, 60, 0, 0.9]], ['non_motor 20,30,34,60 0.8', 'pedestrian 40,20,48,60 0.9']],
  ['person walking in front of a bike, feet below it', [[20, 30, 40, 50, 1, 0.8], [26, 34, 34, 80, 0, 0.9]], ['non_motor 20,30,40,50 0.8', 'pedestrian 26,34,34,80 0.9']],
  ['two people on one motorcycle', [[10, 30, 40, 60, 1, 0.7], [12, 5, 22, 50, 0, 0.6], [24, 8, 34, 52, 0, 0.9]], ['non_motor 10,5,40,60 0.9']],
  ['person with no bike', [[22, 10, 32, 50, 0, 0.9]], ['pedestrian 22,10,32,50 0.9']],
  ['person over a car is not merged', [[20, 30, 34, 60, 2, 0.8], [22, 10, 32, 50, 0, 0.9]], ['vehicle 20,30,34,60 0.8', 'pedestrian 22,10,32,50 0.9']],
  ['a faint bike guess round a clearly seen pedestrian does not claim them', [[18, 28, 36, 60, 1, 0.04], [22, 10, 32, 50, 0, 0.9]], ['non_motor 18,28,36,60 0.04', 'pedestrian 22,10,32,50 0.9']],
  ['a bike seen at half the rider\'s confidence still carries the rider', [[20, 30, 34, 60, 1, 0.45], [22, 10, 32, 50, 0, 0.9]], ['non_motor 20,10,34,60 0.9']],
  ['rider joins the bike covering it best', [[18, 30, 30, 60, 1, 0.8], [26, 30, 40, 60, 1, 0.7], [27, 10, 37, 50, 0, 0.9]], ['non_motor 18,30,30,60 0.8', 'non_motor 26,10,40,60 0.9']],
];
for (const [name, boxes, want] of riderCases) {
  t.test(`rider merge: ${name}`, async (t) => {
    const c = new Candidates();
    for (const [x1, y1, x2, y2, m, s] of boxes) c.push(x1, y1, x2, y2, s, map.toOurs[m]!, m);
    const keep = mergeRiders(c, Int32Array.from(boxes.keys()), map, { minIoa: 0.5, minScoreRatio: 0.5 });
    const got = Array.from(keep, (i) => `${ROAD_USER_CLASSES[c.cls[i]!]} ${[c.x1[i], c.y1[i], c.x2[i], c.y2[i]].join(',')} ${+c.score[i]!.toFixed(2)}`);
    t.same(got.sort(), [...want].sort());
  });
}
