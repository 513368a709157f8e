// Assessor-style sampling: the public surface.
export { describePlan, drawSample } from './plan.ts';
export { createRng, type Rng, type Seed } from './random.ts';
export type * from './types.ts';
