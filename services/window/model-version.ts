// A model's version as stored on every window it judged: file name plus the
// start of its SHA-256, so a retrained model with the same name still differs.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const cache = new Map<string, string>();

export async function modelVersion(modelPath: string): Promise<string> {
  const known = cache.get(modelPath);
  if (known) return known;
  const digest = createHash('sha256').update(await readFile(modelPath)).digest('hex').slice(0, 12);
  const version = `${path.basename(modelPath, '.onnx')}@${digest}`;
  cache.set(modelPath, version);
  return version;
}
