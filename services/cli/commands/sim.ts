// The `crosswatch sim ...` commands (the digital twin).
export { simClip } from './sim-clip.ts';
export { simArchive } from './sim-archive.ts';
