// Which ffmpeg and ffprobe to run: FFMPEG_PATH / FFPROBE_PATH when set,
// otherwise the static binaries shipped in npm packages.
import { createRequire } from 'node:module';
import { accessSync, constants } from 'node:fs';
import type { Config } from '../config.ts';
import { CrosswatchError } from '../../pipelines/errors.ts';

const require = createRequire(import.meta.url);

export interface MediaBinaries {
  ffmpeg: string;
  ffprobe: string;
}

export function mediaBinaries(config: Pick<Config, 'ffmpegPath' | 'ffprobePath'>): MediaBinaries {
  const ffmpeg = config.ffmpegPath ?? (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  const ffprobe = config.ffprobePath ?? (require('@ffprobe-installer/ffprobe') as { path: string }).path;
  for (const [name, file] of [['FFMPEG_PATH (ffmpeg)', ffmpeg], ['FFPROBE_PATH (ffprobe)', ffprobe]] as const) {
    try {
      accessSync(file, constants.X_OK);
    } catch (cause) {
      throw new CrosswatchError('CONFIG_INVALID', `${name}: ${file} is not an executable file`, { cause });
    }
  }
  return { ffmpeg, ffprobe };
}
