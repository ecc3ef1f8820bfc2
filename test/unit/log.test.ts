import { expect } from 'chai';
import { createLog } from '../../app/shared/log.js';

describe('createLog', () => {
  it('writes one JSON line per event with level, message and the error name/message', () => {
    const lines: string[] = [];
    const log = createLog('info', (line) => lines.push(line));
    log('started');
    log('request failed', new TypeError('boom'));
    const [info, error] = lines.map((l) => JSON.parse(l));
    expect(info).to.include({ level: 'info', msg: 'started' });
    expect(error).to.include({ level: 'error', msg: 'request failed' });
    expect(error.error).to.include({ name: 'TypeError', message: 'boom' });
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
