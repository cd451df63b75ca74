import { loadRestProxyConfig } from '../config.js';
import { startRestProxy } from '../discord/rest-proxy.js';
import { createLogger } from '../logger.js';
import { exitWithError } from './fail.js';

/**
 * `npm run rest-proxy`: the one REST proxy several bot processes share (see "Scaling out" in the README).
 * Bot processes point DISCORD_REST_PROXY at it.
 */
try {
  const config = loadRestProxyConfig();
  const logger = createLogger('info');
  const proxy = await startRestProxy({ port: config.port, host: config.host, api: config.apiUrl });
  logger.info(
    { url: proxy.url },
    'REST proxy listening; set DISCORD_REST_PROXY to this in every bot process',
  );
  const stop = () => {
    void proxy.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  exitWithError(error);
}
