import express from 'express';

/**
 * The reference point of the pages benchmark: a bare Express handler returning a static string, in its own process
 * like each tier. Prints its URL on stdout.
 */
const app = express();
app.disable('x-powered-by');
app.get('/', (_req, res) => {
  res.send('ok');
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') console.log(`bare on http://127.0.0.1:${address.port}`);
});
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
