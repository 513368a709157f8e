export { RULES_VERSION } from './version.ts';
export { RulesEngine, judgeWindow, type RulesOptions, type JudgeWindowInput } from './engine.ts';
export { DEFAULT_RULES_PARAMS, type RulesParams } from './params.ts';
export type { RulesFrame, WindowJudgement, Unjudged, UnjudgedReason, Observation, SignalSnapshot } from './types.ts';
