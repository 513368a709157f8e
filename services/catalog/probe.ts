// What a recording file holds, from ffprobe (through fluent-ffmpeg) plus the
// MP4 box check. Never throws for a bad file: it returns the reason, in words.
import { open } from 'node:fs/promises';
import ffmpeg from 'fluent-ffmpeg';
import { mp4StructureProblem } from '../../pipelines/catalog/mp4-boxes.ts';

export type ProbeResult =
  | {
      ok: true;
      durationS: number;
      codec: string;
      width: number;
      height: number;
      fps: number;
      frameCount: number;
      /** The container's creation_time tag (UTC ms), when present. */
      creationTime?: number;
    }
  | { ok: false; reason: string; creationTime?: number };

export async function probeFile(ffprobePath: string, file: string, bytes: number): Promise<ProbeResult> {
  if (bytes === 0) return { ok: false, reason: 'empty file (0 bytes)' };
  // Before ffprobe: "box mdat needs N bytes, the file has M" says more than "moov atom not found".
  const structure = /\.(mp4|mov|m4v)$/i.test(file) ? await mp4StructureProblem(bytes, reader(file)) : undefined;
  if (structure) return { ok: false, reason: structure };
  let data: ffmpeg.FfprobeData;
  try {
    data = await ffprobe(ffprobePath, file);
  } catch (err) {
    return { ok: false, reason: `not a readable video: ${ffprobeReason(err, file)}` };
  }
  const creationTime = parseTime(data.format.tags?.['creation_time'] ?? data.streams.find((s) => s.tags?.creation_time)?.tags?.creation_time);
  const video = data.streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!video) return { ok: false, reason: 'no video stream in the file', creationTime };
  const durationS = Number(data.format.duration ?? video.duration);
  if (!(durationS > 0)) return { ok: false, reason: 'ffprobe reports no duration', creationTime };
  const fps = rate(video.avg_frame_rate) || rate(video.r_frame_rate);
  if (!video.codec_name || !video.width || !video.height || !(fps > 0)) {
    return { ok: false, reason: 'the video stream lacks codec, size or frame rate', creationTime };
  }
  const frames = Number(video.nb_frames);
  return {
    ok: true,
    durationS,
    codec: video.codec_name,
    width: video.width,
    height: video.height,
    fps,
    frameCount: Number.isInteger(frames) && frames > 0 ? frames : Math.round(durationS * fps),
    creationTime,
  };
}

function ffprobe(ffprobePath: string, file: string): Promise<ffmpeg.FfprobeData> {
  return new Promise((resolve, reject) => {
    ffmpeg(file)
      .setFfprobePath(ffprobePath)
      .ffprobe(['-v', 'error'], (err: unknown, data: ffmpeg.FfprobeData) => (err ? reject(err) : resolve(data)));
  });
}

/** ffprobe's own error lines, without the path and demuxer tags it prefixes them with. */
function ffprobeReason(err: unknown, file: string): string {
  const lines = String((err as Error).message ?? err)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^ffprobe exited with code/.test(l))
    .map((l) => (l.startsWith(`${file}: `) ? l.slice(file.length + 2) : l.replace(/^\[[^\]]+\]\s*/, '')));
  return [...new Set(lines)].slice(-3).join('; ') || 'ffprobe failed';
}

function rate(r: string | undefined): number {
  if (!r) return 0;
  const [n, d] = r.split('/').map(Number);
  return d ? n! / d : (n ?? 0);
}

function parseTime(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const t = Date.parse(s);
  // NVRs with an unset clock write 1970 or 1904 dates: not a start time.
  return Number.isFinite(t) && t > Date.UTC(2000, 0, 1) ? t : undefined;
}

function reader(file: string) {
  return async (offset: number, length: number) => {
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, offset);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  };
}
