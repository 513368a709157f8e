// Evidence frames from the window's own decode: every analysed frame's
// detector image (the letterboxed input without its padding: 512×288 of a
// 720p or 1080p frame for the default model) is copied before the frame
// leaves for the detector and held raw for a few seconds; when it leaves that
// hold it is JPEG-encoded in the background if the rules have marked it as a
// possible evidence moment (pipelines/rules/evidence-candidates.ts: about one
// frame in eight on the twin), and dropped otherwise. Encoded frames are kept
// in an archive bounded in bytes; when the rules decide a violation its three
// moments are kept past the budget; at the window's end the moments of every
// violation are looked up here, and only those missing (not marked in time,
// evicted, failed) are fetched by seeking the file again
// (pipelines/window/evidence.ts).
//
// Why not a ring of the last few seconds of raw frames alone: the rules judge
// a road user only once it has been gone finalizeAfterSeconds, so a violation
// is decided long after its moments. On the benchmark's twin (5 min, 19
// violations) the first moment was a median 16 s and at most 67 s old when
// its violation was decided; a raw 512×288 ring covering that would hold
// ~240 MB. The candidates are known much sooner (a stop-line crossing on red
// is confirmed three frames past the line), so a 3 s hold (24 frames at
// 8 fps, 10.6 MB) sees nearly every moment marked before it must decide. JPEG
// (~27 KB a frame at quality 85 there) costs ~1 ms of libjpeg-turbo CPU a
// frame (libuv pool), where a seek decodes up to a GOP at full resolution per
// run of moments (~0.25 s of ffmpeg CPU per violation with the twin's 10 s
// keyframe interval).
//
// The window's end needs nothing special: moments are observations of the
// road user, so they are always analysed frames, never past the last sample.
import sharp from 'sharp';
import type { Rect } from '../decode/types.ts';

/** Where the detector image lies in a decoded frame's buffer, and what it shows. */
export interface ArchiveGeometry {
  /** Width of the decoded frame (bytes per row / 3). */
  stride: number;
  padX: number;
  padY: number;
  /** The scaled image inside the padding. */
  width: number;
  height: number;
  /** The full-resolution rectangle the image shows (the whole frame unless the detector crops). */
  source: Rect;
}

export interface ArchiveOptions {
  /**
   * Bytes of JPEG kept, oldest evicted first; moments of decided violations
   * are kept beyond it. Raising it reaches further back (fewer seeks for
   * road users judged long after their moments) at that much more memory.
   */
  budgetBytes: number;
  /** JPEG quality of the archived frames (they are re-encoded once more into the evidence image). */
  quality: number;
  /** Encodes in flight before add() makes the decode loop wait (each holds one raw copy). */
  maxPending: number;
  /**
   * Frames held raw before deciding whether to encode them (with a `wanted`
   * test; without one every frame is encoded at once). Must cover the frames
   * in flight to the detector plus the rules' delay in marking a moment;
   * each frame held costs one raw copy (442 KB at 512×288).
   */
  holdFrames: number;
}

export const ARCHIVE_DEFAULTS: ArchiveOptions = { budgetBytes: 16 * 2 ** 20, quality: 85, maxPending: 4, holdFrames: 24 };

/**
 * Below this image width the detector input is too coarse for a reviewer
 * (a 320×320 model would give 320×180 evidence); evidence then comes from
 * seeks at full resolution, as it did before the archive.
 */
export const ARCHIVE_MIN_WIDTH = 480;

/** An archived frame as composeEvidence takes it. */
export interface ArchivedFrame {
  frameIndex: number;
  t: number;
  width: number;
  height: number;
  jpeg: Buffer;
  source: Rect;
}

interface Entry {
  frameIndex: number;
  t: number;
  jpeg?: Buffer;
  failed?: boolean;
  kept?: boolean;
}

export interface ArchiveStats {
  /** Frames encoded. */
  archived: number;
  /** Frames let go unencoded (not marked as candidates while held). */
  skipped: number;
  evicted: number;
  failed: number;
  /** Most bytes held at once (archive and kept frames). */
  peakBytes: number;
}

export class EvidenceArchive {
  private readonly entries = new Map<number, Entry>();
  private readonly kept = new Map<number, Entry>();
  private readonly pending = new Set<Promise<void>>();
  /** Raw copies waiting for (or done with) their encode: reused, so the archive allocates no frame-sized buffers per frame. */
  private readonly spare: Buffer[] = [];
  /** Frames held raw, oldest first, until they are encoded or let go. */
  private readonly held: { entry: Entry; raw: Buffer }[] = [];
  private bytes = 0;
  private keptBytes = 0;
  readonly stats: ArchiveStats = { archived: 0, skipped: 0, evicted: 0, failed: 0, peakBytes: 0 };

  constructor(
    private readonly g: ArchiveGeometry,
    private readonly o: ArchiveOptions = ARCHIVE_DEFAULTS,
    /** Whether a frame may become evidence (asked when it leaves the hold); absent: every frame is. */
    private readonly wanted?: (frameIndex: number) => boolean,
  ) {}

  /**
   * Copies the frame's image out of `data` (the decoded frame's detector
   * input, stride × rows) at once, so the buffer may leave for the detector
   * as soon as this returns; resolves when the caller may add the next one.
   */
  add(frameIndex: number, t: number, data: Uint8Array): Promise<void> {
    const rowBytes = this.g.stride * 3;
    const raw = this.spare.pop() ?? Buffer.allocUnsafeSlow(rowBytes * this.g.height);
    raw.set(data.subarray(this.g.padY * rowBytes, (this.g.padY + this.g.height) * rowBytes));
    const entry: Entry = { frameIndex, t };
    if (!this.wanted) return this.start(entry, raw);
    this.held.push({ entry, raw });
    return this.held.length > this.o.holdFrames ? this.release(this.held.shift()!) : Promise.resolve();
  }

  /** A frame leaving the hold: encoded if wanted (or already kept), else its copy goes back to the spares. */
  private release(h: { entry: Entry; raw: Buffer }): Promise<void> {
    if (this.wanted!(h.entry.frameIndex) || this.kept.has(h.entry.frameIndex)) return this.start(h.entry, h.raw);
    this.stats.skipped++;
    this.spare.push(h.raw);
    return Promise.resolve();
  }

  private start(entry: Entry, raw: Buffer): Promise<void> {
    if (!entry.kept) this.entries.set(entry.frameIndex, entry);
    const job = this.encode(raw)
      .then((jpeg) => this.stored(entry, jpeg))
      .catch(() => {
        entry.failed = true;
        this.stats.failed++;
      })
      .finally(() => {
        this.pending.delete(job);
        this.spare.push(raw);
      });
    this.pending.add(job);
    return this.pending.size >= this.o.maxPending ? Promise.race(this.pending) : Promise.resolve();
  }

  /** Keeps these frames (a decided violation's moments) whatever the budget. */
  keep(frameIndices: Iterable<number>): void {
    for (const i of frameIndices) {
      const held = this.held.find((h) => h.entry.frameIndex === i);
      if (held) {
        held.entry.kept = true;
        this.kept.set(i, held.entry);
        continue;
      }
      const e = this.entries.get(i);
      if (!e) continue;
      this.entries.delete(i);
      e.kept = true;
      this.kept.set(i, e);
      if (e.jpeg) {
        this.bytes -= e.jpeg.length;
        this.keptBytes += e.jpeg.length;
      }
    }
  }

  /** After every encode has finished: the frames held for these indices. */
  async collect(frameIndices: Iterable<number>): Promise<Map<number, ArchivedFrame>> {
    while (this.held.length > 0) await this.release(this.held.shift()!);
    while (this.pending.size > 0) await Promise.all(this.pending);
    const out = new Map<number, ArchivedFrame>();
    for (const i of frameIndices) {
      const e = this.kept.get(i) ?? this.entries.get(i);
      if (e?.jpeg) out.set(i, { frameIndex: i, t: e.t, width: this.g.width, height: this.g.height, jpeg: e.jpeg, source: this.g.source });
    }
    return out;
  }

  private encode(raw: Buffer): Promise<Buffer> {
    const { stride, padX, width, height } = this.g;
    let img = sharp(raw, { raw: { width: stride, height, channels: 3 } });
    if (padX > 0 || width !== stride) img = img.extract({ left: padX, top: 0, width, height });
    // Huffman optimisation would halve the encoding speed for 4 % fewer bytes.
    return img.jpeg({ quality: this.o.quality, optimiseCoding: false }).toBuffer();
  }

  private stored(entry: Entry, jpeg: Buffer): void {
    entry.jpeg = jpeg;
    this.stats.archived++;
    if (entry.kept) this.keptBytes += jpeg.length;
    else if (this.entries.get(entry.frameIndex) === entry) this.bytes += jpeg.length;
    this.stats.peakBytes = Math.max(this.stats.peakBytes, this.bytes + this.keptBytes);
    this.evict();
  }

  /** Oldest first, until the budget holds; a frame still encoding stops the sweep (it is the oldest left). */
  private evict(): void {
    for (const [i, e] of this.entries) {
      if (this.bytes <= this.o.budgetBytes) return;
      if (!e.jpeg && !e.failed) return;
      this.entries.delete(i);
      if (e.jpeg) {
        this.bytes -= e.jpeg.length;
        this.stats.evicted++;
      }
    }
  }
}
