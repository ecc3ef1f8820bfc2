import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { runOperatorCommand } from '../../app/queue/operator-command.js';
import { MINUTE } from '../support/builders.js';
import { createFixture, type Fixture } from '../support/fixture.js';
import { addQueuedEvent, NEON } from '../support/queue.js';

const run = promisify(execFile);

describe('npm run queue (operator command) against DynamoDB Local', function () {
  this.timeout(120_000);
  let fx: Fixture;
  before(async () => {
    fx = await createFixture('queue-operator');
  });
  const command = (...argv: string[]) => runOperatorCommand(fx.queue, argv, fx.clock.now());

  it('status shows the live numbers: waiting, admitted, claim rate, no-shows, lottery commitment, writer and epoch', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now(), admitPerMinute: 600 });
    for (let i = 0; i < 12; i++) await fx.queue.join(`op-user-${i}`, performance.id);
    for (let i = 0; i < 3; i++) {
      fx.clock.advance(1_000);
      await fx.queue.tick(performance.id);
    }
    await fx.queue.claim('op-user-0', performance.id);
    const text = await command('status', performance.id);
    expect(text).to.include(`${performance.id}: OPEN (control ACTIVE, writer ap-northeast-2, epoch 1)`);
    expect(text).to.match(/admitted\s+1 of a budget of \d+/);
    expect(text).to.match(/waiting\s+\d+ \(issued 12, released \d+\)/);
    expect(text).to.match(/no-shows\s+0/);
    expect(text).to.match(/claim rate\s+\d+\/min \(configured 600\/min\)/);
    const json = JSON.parse(await command('status', performance.id, '--json'));
    expect(json).to.deep.include({ eventId: performance.id, admitted: 1, issued: 12, control: 'ACTIVE', noShows: 0 });
  });

  it('pause, open and close switch the control; arm commits the seed once (a second arm keeps the hash)', async () => {
    const { performance } = await addQueuedEvent(fx);
    const armed = JSON.parse(await command('arm', performance.id, '--json'));
    expect(armed.seedHash).to.match(/^[0-9a-f]{64}$/);
    expect(JSON.parse(await command('arm', performance.id, '--json')).seedHash).to.equal(armed.seedHash);
    expect(JSON.parse(await command('pause', performance.id, '--json')).control).to.equal('PAUSED');
    expect(JSON.parse(await command('open', performance.id, '--json')).control).to.equal('ACTIVE');
    const closed = JSON.parse(await command('close', performance.id, '--json'));
    expect([closed.control, closed.phase]).to.deep.equal(['CLOSED', 'CLOSED']);
  });

  it('list names the queued events with their phase, the demo concert included', async () => {
    const text = await command('list');
    expect(text).to.match(new RegExp(`${NEON}\\s+(SCHEDULED|PRE_QUEUE|OPEN)`));
  });

  it('a wrong command, a missing event or an unknown event is an error with the usage, and changes nothing', async () => {
    await command('frobnicate').then(
      () => expect.fail('accepted'),
      (e: Error) => expect(e.message).to.include('unknown command "frobnicate"').and.include('usage:'),
    );
    await command('pause').then(
      () => expect.fail('accepted'),
      (e: Error) => expect(e.message).to.include('needs an event id'),
    );
    await command('pause', 'perf-moonlight-garden').then(
      () => expect.fail('accepted'),
      (e: Error) => expect(e.message).to.include('No waiting room'),
    );
    expect(await fx.queueStore.getState('perf-moonlight-garden', true)).to.equal(undefined);
  });

  it('the script itself: `npm run queue -- pause <event>` against this DynamoDB switches the queue', async () => {
    const { performance } = await addQueuedEvent(fx, { opensAt: fx.clock.now() - MINUTE });
    await fx.queue.arm(performance.id);
    const { stdout } = await run('npx', ['tsx', 'scripts/queue.ts', 'pause', performance.id], {
      env: {
        ...process.env,
        DYNAMODB_MODE: 'external',
        AWS_ENDPOINT_URL_DYNAMODB: fx.endpoint,
        TABLE_PREFIX: fx.config.dynamodb.tablePrefix,
        DR_STATE_FILE: '/nonexistent/dr.json',
      },
    });
    expect(stdout).to.include(`${performance.id}: PAUSED (control PAUSED`);
    expect((await fx.queueStore.getState(performance.id, true))?.control).to.equal('PAUSED');
  });
});
