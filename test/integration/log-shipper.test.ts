import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { expect } from 'chai';
import express from 'express';
import { LogShipper, runShipper, type CursorStore } from '../../app/logship/shipper.js';
import type { LogEvent } from '../../app/logship/batch.js';
import { listen, type RunningServer } from '../../app/server.js';

/**
 * The log shipper through the real CloudWatch Logs SDK client against a local endpoint speaking its JSON 1.1
 * protocol (X-Amz-Target: Logs_20140328.<Operation>). Proves the calls, batching, retry and cursor handling; not that
 * CloudWatch accepts the credentials or extracts the EMF metrics (that needs AWS).
 */
describe('log shipper against a local CloudWatch Logs endpoint', function () {
  this.timeout(30_000);
  let server: RunningServer;
  const calls: { operation: string; body: any }[] = [];
  let failNextPuts = 0;
  before(async () => {
    const app = express();
    app.use(express.json({ type: () => true, limit: '5mb' }));
    app.post('/', (req, res) => {
      const operation = String(req.get('x-amz-target')).split('.')[1] ?? '';
      calls.push({ operation, body: req.body });
      res.type('application/x-amz-json-1.1');
      if (operation === 'CreateLogStream' && calls.filter((c) => c.operation === operation).length > 1) {
        return void res.status(400).send(
          JSON.stringify({
            __type: 'ResourceAlreadyExistsException',
            message: 'The specified log stream already exists',
          }),
        );
      }
      if (operation === 'PutLogEvents' && failNextPuts > 0) {
        failNextPuts--;
        return void res.status(400).send(JSON.stringify({ __type: 'InvalidParameterException', message: 'refused' }));
      }
      res.send('{}');
    });
    server = await listen(app, '127.0.0.1', 0);
  });
  after(() => server.close());
  beforeEach(() => {
    calls.length = 0;
    failNextPuts = 0;
  });

  const client = () =>
    new CloudWatchLogsClient({
      region: 'ap-northeast-1',
      endpoint: server.url,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  const memoryCursors = (): CursorStore & { saved: string[] } => {
    const saved: string[] = [];
    return { saved, read: async () => saved.at(-1), write: async (c) => void saved.push(c) };
  };
  const shipperWith = (cursors: CursorStore) =>
    new LogShipper({ client: client(), logGroup: '/megaticket/tokyo/api-abc', logStream: 'i-0123', cursors });

  it('creates the stream once, puts the events in time order, then saves the last shipped cursor', async () => {
    const cursors = memoryCursors();
    const shipper = shipperWith(cursors);
    shipper.enqueue({ timestamp: 2000, message: 'second', cursor: 'c2' });
    shipper.enqueue({ timestamp: 1000, message: '{"_aws":{"CloudWatchMetrics":[]},"FallbackCount":1}', cursor: 'c3' });
    await shipper.flush();
    expect(calls.map((c) => c.operation)).to.deep.equal(['CreateLogStream', 'PutLogEvents']);
    expect(calls[1]?.body).to.deep.equal({
      logGroupName: '/megaticket/tokyo/api-abc',
      logStreamName: 'i-0123',
      logEvents: [
        { timestamp: 1000, message: '{"_aws":{"CloudWatchMetrics":[]},"FallbackCount":1}' },
        { timestamp: 2000, message: 'second' },
      ],
    });
    expect(cursors.saved).to.deep.equal(['c3']);
  });

  it('a refused put keeps the batch and the cursor where they were; the next flush ships it (nothing lost, nothing skipped)', async () => {
    const cursors = memoryCursors();
    const shipper = shipperWith(cursors);
    shipper.enqueue({ timestamp: 1, message: 'a', cursor: 'c1' });
    failNextPuts = 1;
    let failed = false;
    await shipper.flush().catch(() => (failed = true));
    expect([failed, shipper.pending, cursors.saved]).to.deep.equal([true, 1, []]);
    await shipper.flush();
    expect([shipper.pending, cursors.saved]).to.deep.equal([0, ['c1']]);
    const puts = calls.filter((c) => c.operation === 'PutLogEvents').map((c) => c.body.logEvents);
    expect(puts).to.deep.equal([[{ timestamp: 1, message: 'a' }], [{ timestamp: 1, message: 'a' }]]);
  });

  it('runShipper: feeds a source through timed flushes and ships the rest when the source ends', async () => {
    const cursors = memoryCursors();
    async function* source(): AsyncIterable<LogEvent> {
      for (let i = 0; i < 25; i++) yield { timestamp: i, message: `line ${i}`, cursor: `c${i}` };
    }
    await runShipper(shipperWith(cursors), source(), { flushMs: 10, warn: () => {} });
    const shipped = calls.filter((c) => c.operation === 'PutLogEvents').flatMap((c) => c.body.logEvents);
    expect(shipped.map((e: { message: string }) => e.message)).to.deep.equal(
      Array.from({ length: 25 }, (_, i) => `line ${i}`),
    );
    expect(cursors.saved.at(-1)).to.equal('c24');
  });
});
