// The sites file of a layout without simulating traffic: what another
// engineer needs to calibrate against a twin's footage.
import type { SitesFile } from '../sites/schema.ts';
import { chooseLayout } from './layout.ts';
import { Rng } from './rng.ts';
import { buildScene } from './scene.ts';
import { buildPlan, DEFAULT_TIMINGS } from './signals.ts';
import { intersectionSite, sitesFile } from './sites.ts';
import { buildWorld } from './world.ts';

export interface SitesForOptions {
  seed: number;
  layout?: string;
  width?: number;
  height?: number;
  cameraCode?: string;
  intersectionCode?: string;
  intersectionName?: string;
  timeZone?: string;
}

export function sitesFor(o: SitesForOptions): SitesFile {
  const seed = o.seed >>> 0;
  const layout = chooseLayout(seed, o.layout);
  const world = buildWorld(layout);
  // Geometry does not depend on the cycle offset; the same fork keeps it equal to simulateClip's plan.
  const plan = buildPlan(layout, DEFAULT_TIMINGS, new Rng(seed).fork('signal-offset').range(0, 1000));
  const scene = buildScene(world, plan, o.width ?? 1280, o.height ?? 720);
  return sitesFile([
    intersectionSite(scene, {
      intersectionCode: o.intersectionCode ?? `SIM-${seed}`,
      intersectionName: o.intersectionName ?? `Simulated junction ${seed}`,
      cameraCode: o.cameraCode ?? `SIM-${seed}-CAM1`,
      timeZone: o.timeZone ?? 'Asia/Shanghai',
    }),
  ]);
}
