/**
 * Pure IPv4 CIDR arithmetic for the network tier: parsing, containment, overlap and the subnet
 * plan of seed 001 (public 10.0.0.0/24 + 10.0.1.0/24, private 10.0.10.0/24 + 10.0.11.0/24,
 * data 10.0.20.0/24 + 10.0.21.0/24 for a 10.0.0.0/16 VPC, one more of each per extra AZ).
 */

export interface Cidr {
    /** Network address as an unsigned 32-bit integer. */
    base: number;
    prefix: number;
}

export type SubnetTier = "public" | "private" | "data";
export const SUBNET_TIERS: readonly SubnetTier[] = ["public", "private", "data"];

/** Where each tier starts, counted in blocks of the subnet size from the VPC base (seed 001). */
export const TIER_OFFSETS: Readonly<Record<SubnetTier, number>> = { public: 0, private: 10, data: 20 };

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; returns an error text instead of throwing so validators can collect it. */
export function parseCidr(text: string): Cidr | string {
    const m = CIDR_RE.exec(text.trim());
    if (!m) {
        return `expected an IPv4 CIDR like 10.0.0.0/16, got ${JSON.stringify(text)}`;
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255)) {
        return `octets must be 0-255, got ${JSON.stringify(text)}`;
    }
    if (prefix > 32) {
        return `prefix must be 0-32, got /${prefix}`;
    }
    const base = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
    const mask = prefixMask(prefix);
    if ((base & mask) >>> 0 !== base) {
        return `${text} has host bits set; the network address is ${formatIp((base & mask) >>> 0)}/${prefix}`;
    }
    return { base, prefix };
}

/** Parses or throws; for values already validated. */
export function mustParseCidr(text: string): Cidr {
    const c = parseCidr(text);
    if (typeof c === "string") {
        throw new Error(c);
    }
    return c;
}

export function prefixMask(prefix: number): number {
    return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function formatIp(n: number): string {
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function formatCidr(c: Cidr): string {
    return `${formatIp(c.base)}/${c.prefix}`;
}

export function cidrSize(c: Cidr): number {
    return 2 ** (32 - c.prefix);
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
    return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base + cidrSize(inner) <= outer.base + cidrSize(outer);
}

/** True when the two ranges share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
    return a.base < b.base + cidrSize(b) && b.base < a.base + cidrSize(a);
}

export type SubnetPlan = Readonly<Record<SubnetTier, readonly string[]>>;

/**
 * Carves the seed 001 subnet plan out of a VPC CIDR: for AZ i, tier t gets block
 * `TIER_OFFSETS[t] + i` of size /`subnetPrefix`. A 10.0.0.0/16 VPC with 2 AZs gives exactly the
 * seed's six /24s; a third AZ adds 10.0.2.0/24, 10.0.12.0/24 and 10.0.22.0/24.
 */
export function carveSubnets(vpcCidr: string, azCount: number, subnetPrefix = 24): SubnetPlan {
    const vpc = mustParseCidr(vpcCidr);
    if (!Number.isInteger(azCount) || azCount < 1 || azCount > 10) {
        throw new Error(`azCount must be an integer from 1 to 10, got ${azCount}`);
    }
    if (subnetPrefix < vpc.prefix || subnetPrefix > 28) {
        throw new Error(`subnet prefix /${subnetPrefix} must be between the VPC prefix /${vpc.prefix} and /28`);
    }
    const blockSize = 2 ** (32 - subnetPrefix);
    const blocksNeeded = TIER_OFFSETS.data + azCount;
    const blocksAvailable = cidrSize(vpc) / blockSize;
    if (blocksNeeded > blocksAvailable) {
        throw new Error(
            `VPC ${vpcCidr} holds ${blocksAvailable} /${subnetPrefix} blocks but the subnet plan needs ${blocksNeeded} ` +
                `(data tier starts at block ${TIER_OFFSETS.data}); use a /${requiredVpcPrefix(azCount, subnetPrefix)} or larger VPC, or list the subnets explicitly`,
        );
    }
    const plan = {} as Record<SubnetTier, string[]>;
    for (const tier of SUBNET_TIERS) {
        plan[tier] = [];
        for (let i = 0; i < azCount; i++) {
            plan[tier].push(formatCidr({ base: vpc.base + (TIER_OFFSETS[tier] + i) * blockSize, prefix: subnetPrefix }));
        }
    }
    return plan;
}

/** The smallest VPC prefix (largest number) that holds the default plan. */
export function requiredVpcPrefix(azCount: number, subnetPrefix = 24): number {
    const blocks = TIER_OFFSETS.data + azCount;
    return subnetPrefix - Math.ceil(Math.log2(blocks));
}

/**
 * Checks a list of named CIDRs against a VPC: each must parse, lie inside the VPC, and not overlap
 * any other. Returns one problem text per finding (empty when all is well).
 */
export function checkSubnetLayout(vpcCidr: string, subnets: ReadonlyArray<{ label: string; cidr: string }>): string[] {
    const problems: string[] = [];
    const vpc = parseCidr(vpcCidr);
    if (typeof vpc === "string") {
        return [`VPC CIDR: ${vpc}`];
    }
    const parsed: Array<{ label: string; cidr: Cidr; text: string }> = [];
    for (const s of subnets) {
        const c = parseCidr(s.cidr);
        if (typeof c === "string") {
            problems.push(`${s.label}: ${c}`);
            continue;
        }
        if (!cidrContains(vpc, c)) {
            problems.push(`${s.label}: ${s.cidr} is not inside the VPC ${vpcCidr}`);
        }
        for (const other of parsed) {
            if (cidrsOverlap(other.cidr, c)) {
                problems.push(`${s.label}: ${s.cidr} overlaps ${other.label} (${other.text})`);
            }
        }
        parsed.push({ label: s.label, cidr: c, text: s.cidr });
    }
    return problems;
}
