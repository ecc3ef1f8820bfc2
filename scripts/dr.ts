/**
 * Local stand-in for the failover workflow: writes the DR state document that AWS keeps in SSM.
 *   npm run dr -- status | activate [--since <ISO time>] | deactivate
 * Activation is idempotent: activating again keeps the original `since`, so a grace window is never restarted.
 */
import { FileDrStateSource } from '../app/adapters/dr/dr-state-sources.js';
import { loadConfig } from '../app/config.js';

async function main(): Promise<void> {
  const [command = 'status', flag, value] = process.argv.slice(2);
  const config = loadConfig();
  const source = new FileDrStateSource(config.dr.file);
  const current = await source.current();
  switch (command) {
    case 'status':
      break;
    case 'activate': {
      if (current.active) {
        console.log('DR already active; keeping the original since.');
        break;
      }
      const since = flag === '--since' && value ? Date.parse(value) : Date.now();
      if (Number.isNaN(since)) throw new Error(`--since: not an ISO time: ${value}`);
      await source.write({ active: true, since });
      break;
    }
    case 'deactivate':
      await source.write({ active: false });
      break;
    default:
      throw new Error(`unknown command "${command}" (status | activate [--since ISO] | deactivate)`);
  }
  const state = await source.current();
  console.log(
    `${config.dr.file}: ${state.active ? `DR ACTIVE since ${new Date(state.since!).toISOString()}` : 'DR inactive'}` +
      ` (grace ${config.booking.drGraceSeconds / 60} min; the API picks this up within ${config.dr.cacheSeconds} s)`,
  );
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
