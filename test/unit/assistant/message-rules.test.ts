import { expect } from 'chai';
import { checkMessage } from '../../../app/assistant/message-rules.js';
import { refusalSync } from '../../support/refusal-sync.js';

describe('checkMessage (what a chat message may be)', () => {
  it('trims and normalises; Korean counts by characters, not bytes', () => {
    expect(checkMessage('  달빛 정원\r\n2명  ', 500)).to.equal('달빛 정원\n2명');
    expect(checkMessage('가'.repeat(500), 500)).to.have.length(500);
  });

  it('refuses empty, over-long, control-character and markup messages with the reason', () => {
    expect(refusalSync(() => checkMessage('   ', 500)).details).to.include({ reason: 'EMPTY' });
    const long = refusalSync(() => checkMessage('가'.repeat(501), 500));
    expect(long).to.include({ code: 'VALIDATION_FAILED', message: 'Messages are limited to 500 characters.' });
    expect(long.details).to.include({ reason: 'TOO_LONG', max: 500 });
    expect(refusalSync(() => checkMessage('hi\u0007', 500)).details).to.include({ reason: 'CONTROL' });
    for (const markup of ['<script>alert(1)</script>', '<img src=x onerror="x">', 'javascript:alert(1)', '</b>']) {
      expect(refusalSync(() => checkMessage(markup, 500)).details, markup).to.include({ reason: 'MARKUP' });
    }
  });

  it('plain text that merely contains < or > is fine (a heart, a comparison)', () => {
    expect(checkMessage('좋아요 <3', 500)).to.equal('좋아요 <3');
    expect(checkMessage('price < 100000 and > 50000', 500)).to.contain('<');
  });
});
