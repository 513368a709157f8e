// `crosswatch serve [--port P] [--host H]`: the API and the dashboard.
import { serve } from '../../api/server.ts';
import { numberOpt, stringOpt, type Command } from '../command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the API (/api, /docs) and the dashboard (/) until interrupted',
  usage: '[--port P] [--host H]',
  options: { port: { type: 'string', short: 'p' }, host: { type: 'string' } },
  async run(args, { config, log, out }) {
    const port = numberOpt(args, 'port', { default: config.apiPort, min: 0, max: 65535, integer: true });
    const host = stringOpt(args, 'host') ?? config.apiHost;
    const served = await serve({ ...config, apiPort: port, apiHost: host }, log);
    out(`Crosswatch API at ${served.url}/api (docs ${served.url}/docs), dashboard at ${served.url}/`);
    out('Create a key with "crosswatch keys create --role viewer --name NAME". Ctrl-C stops.');
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await served.close();
    return 0;
  },
};
