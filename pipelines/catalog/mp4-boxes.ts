// A structural check of MP4/MOV files that ffprobe alone misses: when the
// index (moov) comes first ("faststart"), a file cut short still probes with
// its full duration. Walking the top-level boxes finds a box that claims more
// bytes than the file has. Reads only the box headers.

/** Reads up to `length` bytes at `offset`. */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

const MAX_BOXES = 100_000;
const KNOWN_TOP = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'uuid', 'moof', 'mfra', 'sidx', 'styp', 'pdin', 'meta', 'emsg', 'prft']);

/** A reason the file is truncated or malformed, or undefined when its boxes add up. */
export async function mp4StructureProblem(fileSize: number, readAt: ReadAt): Promise<string | undefined> {
  let offset = 0;
  let sawMoov = false;
  for (let n = 0; offset < fileSize && n < MAX_BOXES; n++) {
    // Too short to be MP4 at all: leave the verdict to ffprobe.
    if (n === 0 && fileSize < 8) return undefined;
    if (fileSize - offset < 8) return `truncated: ${fileSize - offset} stray bytes after the last box at byte ${offset}`;
    const head = await readAt(offset, 16);
    const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const type = String.fromCharCode(...head.subarray(4, 8));
    // Not an ISO-BMFF file after all (or garbage): leave the verdict to ffprobe.
    if (n === 0 && !KNOWN_TOP.has(type)) return undefined;
    let size = view.getUint32(0);
    if (size === 1) size = Number(view.getBigUint64(8));
    else if (size === 0) size = fileSize - offset; // "to the end of the file"
    if (size < 8) return `malformed: box "${type}" at byte ${offset} declares ${size} bytes`;
    if (offset + size > fileSize) {
      return `truncated: box "${type}" at byte ${offset} needs ${size} bytes but the file ends after ${fileSize - offset} (recording cut short?)`;
    }
    sawMoov ||= type === 'moov' || type === 'moof';
    offset += size;
  }
  return sawMoov ? undefined : 'no index (moov box): the recording was not finalised';
}
