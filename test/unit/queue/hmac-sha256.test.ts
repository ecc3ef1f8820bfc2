import { expect } from 'chai';
import { createHmac, randomBytes } from 'node:crypto';
import { HmacSha256Check } from '../../../app/queue/hmac-sha256.js';

const reference = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest('base64url');
const hex = (text: string) => Buffer.from(text, 'hex');
const base64url = (hexMac: string) => Buffer.from(hexMac, 'hex').toString('base64url');

describe('queue/hmac-sha256 (the token MAC check in plain JavaScript)', () => {
  // RFC 4231 test cases with a full-length output (1–4, 6, 7): keys of 20, 4, 20, 25 and 131 bytes.
  const vectors = [
    {
      key: hex('0b'.repeat(20)),
      data: 'Hi There',
      mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    },
    {
      key: Buffer.from('Jefe'),
      data: 'what do ya want for nothing?',
      mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    },
    {
      key: hex('aa'.repeat(131)),
      data: 'Test Using Larger Than Block-Size Key - Hash Key First',
      mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    },
    {
      key: hex('aa'.repeat(131)),
      data:
        'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be ' +
        'hashed before being used by the HMAC algorithm.',
      mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    },
  ];
  for (const [i, v] of vectors.entries()) {
    it(`RFC 4231 vector ${i + 1}: the MAC matches, and the same MAC with one character changed does not`, () => {
      const check = new HmacSha256Check(v.key);
      const mac = base64url(v.mac);
      expect(check.matches(v.data, mac)).to.equal(true);
      expect(check.matches(v.data, `${mac.slice(0, 20)}${mac[20] === 'A' ? 'B' : 'A'}${mac.slice(21)}`)).to.equal(
        false,
      );
    });
  }

  it('agrees with createHmac on random keys and ASCII texts of every length across the block boundaries', () => {
    for (let length = 0; length <= 300; length++) {
      const key = randomBytes(32 + (length % 40));
      const check = new HmacSha256Check(key);
      const text = randomBytes(length).toString('base64url').slice(0, length);
      const mac = reference(key, text);
      expect(check.matches(text, mac), `length ${length}`).to.equal(true);
      expect(check.matches(`${text}x`, mac), `length ${length} extended`).to.equal(false);
      if (length > 0) expect(check.matches(text.slice(1), mac), `length ${length} truncated`).to.equal(false);
    }
  });

  it('refuses a MAC under another key, of another length, in padded or non-canonical base64, or with a flipped character anywhere', () => {
    const key = randomBytes(32);
    const check = new HmacSha256Check(key);
    const text = 'mta2.user-1~perf-1~7~1~1700000000000~1700000600000~tok_abc';
    const mac = reference(key, text);
    expect(check.matches(text, reference(randomBytes(32), text))).to.equal(false);
    expect(check.matches(text, `${mac}=`)).to.equal(false);
    expect(check.matches(text, mac.slice(0, 42))).to.equal(false);
    expect(check.matches(text, Buffer.from(mac, 'base64url').toString('base64').slice(0, 43))).to.equal(
      !/[-_]/.test(mac),
    );
    // The last character carries 4 bits and 2 zero bits: another character with the same 4 bits decodes to the same
    // bytes but is not the text we issue.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(mac[42]!);
    const sibling = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last ^ 1]!;
    expect(Buffer.from(`${mac.slice(0, 42)}${sibling}`, 'base64url').equals(Buffer.from(mac, 'base64url'))).to.equal(
      true,
    );
    expect(check.matches(text, `${mac.slice(0, 42)}${sibling}`)).to.equal(false);
    for (let i = 0; i < mac.length; i++) {
      const flipped = `${mac.slice(0, i)}${mac[i] === 'Q' ? 'R' : 'Q'}${mac.slice(i + 1)}`;
      expect(check.matches(text, flipped), `character ${i}`).to.equal(false);
    }
  });

  it('text outside ASCII and text longer than the scratch buffer are checked over their UTF-8 as createHmac does', () => {
    const key = randomBytes(32);
    const check = new HmacSha256Check(key);
    for (const text of ['좌석 예매', 'mta2.é~1', 'a'.repeat(5000), `${'b'.repeat(100)}\u{1F3AB}`]) {
      expect(check.matches(text, reference(key, text)), text.slice(0, 10)).to.equal(true);
      expect(check.matches(text, reference(key, `${text}!`))).to.equal(false);
    }
  });

  it('a check after a long text leaves nothing behind for the next, shorter one (shared scratch space)', () => {
    const key = randomBytes(32);
    const check = new HmacSha256Check(key);
    const long = 'z'.repeat(1500);
    expect(check.matches(long, reference(key, long))).to.equal(true);
    for (const text of ['', 'a', 'abc'.repeat(30)]) expect(check.matches(text, reference(key, text))).to.equal(true);
  });
});
