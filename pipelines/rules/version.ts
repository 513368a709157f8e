/**
 * Version of the rule semantics, stored with every window so results can be
 * traced and reprocessed. Bump it whenever a change can alter a verdict or a
 * count (thresholds included), never for refactoring.
 */
export const RULES_VERSION = 'crosswatch-rules/20';
