/**
 * An experiment of bench:chat (`--api-workers N`), not how the app ships: the bundled app as N node:cluster workers
 * behind one port (the primary accepts and hands connections out round robin), to see what one API process per vCPU
 * would give. Run as `node --import tsx bench/lib/api-cluster.ts <bundle>` with `API_WORKERS=N` and the API's
 * environment. The first worker creates the tables; the others start once it listens, with `BOOTSTRAP_TABLES=false`.
 * Prints `cluster worker pid <pid>` per worker (the bench adds their CPU to the primary's) and passes the first
 * worker's "MegaTicket API … on <url>" line through (every worker listens on the same port).
 */
import cluster from 'node:cluster';

const [bundle] = process.argv.slice(2);
const count = Number(process.env.API_WORKERS ?? '2');
if (!bundle || !Number.isInteger(count) || count < 1) throw new Error('usage: api-cluster.ts <bundle> (API_WORKERS=N)');

cluster.setupPrimary({ exec: bundle, silent: false });

function fork(env: Record<string, string>): Promise<void> {
  const worker = cluster.fork(env);
  console.log(`cluster worker pid ${worker.process.pid}`);
  worker.on('exit', (code) => {
    if (!stopping) console.error(`cluster worker ${worker.process.pid} exited with ${code}`);
  });
  return new Promise((resolve) => worker.once('listening', () => resolve()));
}

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  setTimeout(() => process.exit(0), 5000).unref();
  cluster.on('exit', () => {
    if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
  });
});

await fork({});
for (let i = 1; i < count; i++) await fork({ BOOTSTRAP_TABLES: 'false' });
