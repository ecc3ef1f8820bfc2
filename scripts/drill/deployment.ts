/**
 * One region's deployment for the drill, as a child process: the real app (web + API, the same web → API HTTP hop as
 * production) started from its environment, reporting its URLs over IPC. Killing the process is a regional outage.
 * It exits with its parent (IPC disconnect), so an interrupted drill leaves nothing running.
 */
import { loadConfig } from '../../app/config.js';
import { startApp } from '../../app/runtime.js';

try {
  const app = await startApp(loadConfig());
  const stop = () => void app.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.send?.({ webUrl: app.webUrl, apiUrl: app.apiUrl });
} catch (error) {
  process.send?.({ error: (error as Error).message });
  process.exit(1);
}
