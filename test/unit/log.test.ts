import { expect } from 'chai';
import { createLog } from '../../app/shared/log.js';

describe('createLog (pino)', () => {
  it('writes one JSON line per event with level label, ISO time, message, fields and the error type/message/stack', () => {
    const lines: string[] = [];
    const log = createLog('info', (line) => lines.push(line));
    log('started');
    log('request failed', new TypeError('boom'), { reqId: 'r-1' });
    const [info, error] = lines.map((l) => JSON.parse(l));
    expect(info).to.include({ level: 'info', msg: 'started' });
    expect(Number.isNaN(Date.parse(info.time))).to.equal(false);
    expect(error).to.include({ level: 'error', msg: 'request failed', reqId: 'r-1' });
    expect(error.err).to.include({ type: 'TypeError', message: 'boom' });
    expect(error.err.stack).to.contain('TypeError: boom');
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).to.equal(true);
  });

  it('LOG_LEVEL=error drops info lines; silent drops everything', () => {
    const lines: string[] = [];
    createLog('error', (l) => lines.push(l))('noise');
    createLog('error', (l) => lines.push(l))('bad', new Error('x'));
    createLog('silent', (l) => lines.push(l))('bad', new Error('y'));
    expect(lines.map((l) => JSON.parse(l).msg)).to.deep.equal(['bad']);
  });
});
