// Pre-assessment: the public surface.
export { preAssess } from './pre-assess.ts';
export { DEFAULT_SCORING_RULE, parseScoringRule, windowDeduction, scoreOf, passes } from './scoring.ts';
export type * from './types.ts';
