// Worker entry: worker threads do not always inherit tsx's loader from the
// parent (tap, plain `node --import tsx`), so register it here, then load the
// TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
