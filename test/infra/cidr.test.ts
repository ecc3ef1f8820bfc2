import { expect } from 'chai';
import { cidrsOverlap, formatCidr, isPrivateCidr, parseCidr, planSubnets, subnetOf } from '../../infra/cidr.js';

// Pure arithmetic; does not prove AWS accepts the blocks (it does for /16–/28 inside the VPC).
describe('infra/cidr', () => {
  it('planSubnets: seoul 10.100.0.0/16 → two public /24s and two private /20s, exact blocks', () => {
    expect(planSubnets('10.100.0.0/16')).to.deep.equal({
      public: ['10.100.0.0/24', '10.100.1.0/24'],
      private: ['10.100.16.0/20', '10.100.32.0/20'],
    });
  });

  it('planSubnets: tokyo 10.1.0.0/16 → the same layout in its own range', () => {
    expect(planSubnets('10.1.0.0/16')).to.deep.equal({
      public: ['10.1.0.0/24', '10.1.1.0/24'],
      private: ['10.1.16.0/20', '10.1.32.0/20'],
    });
  });

  it('planSubnets: every subnet lies inside the VPC and no two overlap', () => {
    const plan = planSubnets('10.100.0.0/16');
    const all = [...plan.public, ...plan.private];
    for (const s of all) expect(cidrsOverlap(s, '10.100.0.0/16'), s).to.equal(true);
    for (const a of all) for (const b of all) if (a !== b) expect(cidrsOverlap(a, b), `${a} vs ${b}`).to.equal(false);
  });

  it('planSubnets: refuses a non-/16, a public range, and host bits', () => {
    expect(() => planSubnets('10.100.0.0/20')).to.throw('must be a /16');
    expect(() => planSubnets('8.8.0.0/16')).to.throw('RFC 1918');
    expect(() => planSubnets('10.100.1.0/16')).to.throw('host bits');
  });

  it('subnetOf / parse / format round-trip and range checks', () => {
    expect(subnetOf('10.1.0.0/16', 20, 15)).to.equal('10.1.240.0/20');
    expect(() => subnetOf('10.1.0.0/16', 20, 16)).to.throw('out of range');
    expect(formatCidr(parseCidr('192.168.4.0/22'))).to.equal('192.168.4.0/22');
    expect(() => parseCidr('10.0.0.256/24')).to.throw('not an IPv4 CIDR');
  });

  it('isPrivateCidr / cidrsOverlap: the two regions never overlap', () => {
    expect(isPrivateCidr('172.16.0.0/16')).to.equal(true);
    expect(isPrivateCidr('172.32.0.0/16')).to.equal(false);
    expect(cidrsOverlap('10.100.0.0/16', '10.1.0.0/16')).to.equal(false);
    expect(cidrsOverlap('10.0.0.0/8', '10.1.0.0/16')).to.equal(true);
  });
});
