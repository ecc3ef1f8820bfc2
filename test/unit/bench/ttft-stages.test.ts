import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stageTable } from '../../../bench/lib/ttft-stages.js';

describe('bench:chat hop table (MT_TTFT_TRACE)', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'ttft-stages-')), 'trace');

  it('stageTable: each hop is the gap between its marks, over the given messages only, first mark of a stage wins', () => {
    writeFileSync(
      file,
      [
        'ttft-1 bench.send 1000.0',
        'ttft-1 web.in 1002.5',
        'ttft-1 api.modelSend 1010.0',
        'ttft-1 api.modelText 1310.0',
        'ttft-1 api.modelText 1350.0', // a later text delta: not the first token
        'ttft-1 bench.firstText 1313.0',
        'ttft-2 bench.send 2000.0', // a warm-up message, not asked for
        'ttft-2 web.in 2900.0',
        '',
      ].join('\n'),
    );
    const table = stageTable(file, new Set(['ttft-1']));
    expect(table).to.contain('| bench.send → web.in | 1 | 2.5 | 2.5 | 2.5 |');
    expect(table).to.contain('| **before the model call** (bench.send → api.modelSend) | 1 | 10.0 | 10.0 | 10.0 |');
    expect(table).to.contain('| **the model call** (api.modelSend → api.modelText) | 1 | 300.0 | 300.0 | 300.0 |');
    expect(table).to.contain('| **after the first text** (api.modelText → bench.firstText) | 1 | 3.0 | 3.0 | 3.0 |');
    // Hops without both marks are left out rather than shown as zero.
    expect(table).not.to.contain('web.route');
  });

  it('stageTable: the API CPU per message start is the thread CPU between api.route and api.modelWritten', () => {
    writeFileSync(
      file,
      [
        'ttft-1 api.route 1000.0 50.000',
        'ttft-1 api.modelSend 1001.0 50.750',
        'ttft-1 api.modelWritten 1001.5 51.250',
        'ttft-2 api.route 1000.5 51.250',
        'ttft-2 api.modelWritten 1003.0 52.250',
        'ttft-3 api.route 1003.0 -', // no schedstat: no CPU figure for it
        'ttft-3 api.modelWritten 1004.0 -',
        '',
      ].join('\n'),
    );
    const table = stageTable(file, new Set(['ttft-1', 'ttft-2', 'ttft-3']));
    expect(table).to.contain(
      '| **API CPU per message start** (api.route → api.modelWritten, CPU ms) | 2 | 1.0 | 1.3 | 1.3 |',
    );
    expect(table).to.contain('| api.modelSend → api.modelWritten | 1 | 0.5 | 0.5 | 0.5 |');
    expect(table).to.contain(
      '| of which route and service (api.route → api.modelSend, CPU ms) | 1 | 0.8 | 0.8 | 0.8 |',
    );
    expect(table).to.contain('| of which the SDK (api.modelSend → api.modelWritten, CPU ms) | 1 | 0.5 | 0.5 | 0.5 |');
  });
});
