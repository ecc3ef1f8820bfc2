/**
 * Pure IPv4 CIDR arithmetic and the subnet plan of a stack's VPC. No Pulumi here: the plan is computed from the VPC
 * CIDR alone, so the same input always yields the same subnets and the test can state them exactly.
 */
export interface Cidr {
  /** The network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

export interface SubnetPlan {
  /** One per AZ, in AZ order: ALB and NAT live here. */
  readonly public: readonly string[];
  /** One per AZ, in AZ order: every instance lives here. */
  readonly private: readonly string[];
}

export function parseCidr(cidr: string): Cidr {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (base % blockSize(prefix) !== 0) throw new Error(`${cidr} has host bits set`);
  return { base, prefix };
}

export function formatCidr({ base, prefix }: Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** The `index`-th block of size /newPrefix inside `parent` (like Terraform's cidrsubnet). */
export function subnetOf(parent: string, newPrefix: number, index: number): string {
  const p = parseCidr(parent);
  if (newPrefix < p.prefix || newPrefix > 32) throw new Error(`/${newPrefix} does not fit in ${parent}`);
  const count = 2 ** (newPrefix - p.prefix);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new Error(`${parent} has ${count} /${newPrefix} blocks; index ${index} is out of range`);
  }
  return formatCidr({ base: p.base + index * blockSize(newPrefix), prefix: newPrefix });
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  return x.base < y.base + blockSize(y.prefix) && y.base < x.base + blockSize(x.prefix);
}

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

/** RFC 1918: a VPC on public address space would shadow real internet destinations. */
export function isPrivateCidr(cidr: string): boolean {
  const c = parseCidr(cidr);
  return PRIVATE_RANGES.some((range) => {
    const r = parseCidr(range);
    return c.prefix >= r.prefix && cidrsOverlap(cidr, range);
  });
}

/**
 * The VPC must be a private /16. Public subnets are small /24s (they hold only the ALB and the NAT gateway);
 * private subnets are /20s (4,091 usable addresses each) so the tiers can scale out without re-addressing.
 * Layout inside 10.x.0.0/16: public 10.x.0.0/24, 10.x.1.0/24; private 10.x.16.0/20, 10.x.32.0/20.
 */
export function planSubnets(vpcCidr: string, azCount = 2): SubnetPlan {
  const vpc = parseCidr(vpcCidr);
  if (vpc.prefix !== 16) throw new Error(`VPC CIDR must be a /16, got ${vpcCidr}`);
  if (!isPrivateCidr(vpcCidr)) throw new Error(`VPC CIDR must be RFC 1918 private space, got ${vpcCidr}`);
  if (azCount < 2 || azCount > 3) throw new Error(`azCount must be 2 or 3, got ${azCount}`);
  const azs = [...Array(azCount).keys()];
  return {
    public: azs.map((i) => subnetOf(vpcCidr, 24, i)),
    private: azs.map((i) => subnetOf(vpcCidr, 20, i + 1)),
  };
}
