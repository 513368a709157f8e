// Public face of the evidence stage: compose one JPEG per violation and store it.
import { composeEvidence, type EvidenceInput } from './compose.ts';
import { writeEvidence } from './store.ts';

export { composeEvidence, focusRect, stampLines, CATEGORY_LABEL, type EvidenceInput, type EvidenceMomentInput, type EvidenceImage, type RgbImage, type ScaledJpeg } from './compose.ts';
export { evidencePath, writeEvidence, type EvidenceLocation } from './store.ts';

/** Compose and store; returns the path relative to `root` for the violation row. */
export async function saveEvidence(root: string, e: EvidenceInput & { n: number; t: number }): Promise<string> {
  const jpeg = await composeEvidence(e);
  return writeEvidence(root, { cameraCode: e.cameraCode, t: e.t, timeZone: e.timeZone, windowId: e.windowId, n: e.n }, jpeg);
}
