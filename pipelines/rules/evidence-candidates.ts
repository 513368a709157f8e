// Frames that may become evidence moments, marked as the rules see them: the
// "before" and "past" frames of a stop-line crossing while a governing signal
// was red (or unreadable) and of a pedestrian's entry on don't-walk or
// mid-block, the later moments of those road users, and their latest frame
// (a moment when the track ends). The window pipeline JPEG-encodes only these
// frames of its decode (pipelines/window/evidence-archive.ts) instead of
// every frame. Counted per frame, since road users share frames: one road
// user letting go of its rolling latest frame must not drop another's moment.
export class EvidenceCandidates {
  private readonly marks = new Map<number, number>();

  mark(frameIndex: number): void {
    this.marks.set(frameIndex, (this.marks.get(frameIndex) ?? 0) + 1);
  }

  unmark(frameIndex: number): void {
    const n = this.marks.get(frameIndex) ?? 0;
    if (n <= 1) this.marks.delete(frameIndex);
    else this.marks.set(frameIndex, n - 1);
  }

  has(frameIndex: number): boolean {
    return this.marks.has(frameIndex);
  }

  reset(): void {
    this.marks.clear();
  }
}
