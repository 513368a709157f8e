// The scoring rule a simulation uses: a JSON file named by --rule or
// CROSSWATCH_SCORING_RULE, else the default. Read here for the CLI and the API.
import { readFile } from 'node:fs/promises';
import { CrosswatchError } from '../../pipelines/errors.ts';
import { DEFAULT_SCORING_RULE, parseScoringRule, type ScoringRule } from '../../pipelines/assessment/index.ts';

export async function loadScoringRule(file: string | undefined): Promise<ScoringRule> {
  if (file === undefined) return DEFAULT_SCORING_RULE;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new CrosswatchError('USAGE', `scoring rule ${file}: not a readable JSON scoring rule: ${(cause as Error).message}`, { cause });
  }
  return parseScoringRule(parsed, `/rule (${file})`);
}
