import { strict as assert } from "assert";
import { carveSubnets, checkSubnetLayout, cidrContains, cidrsOverlap, formatCidr, mustParseCidr, parseCidr, requiredVpcPrefix } from "../components/network/cidr";

describe("network/cidr: parsing", () => {
    const cases: Array<[string, string | null]> = [
        ["10.0.0.0/16", null],
        ["10.0.0.0/24", null],
        ["0.0.0.0/0", null],
        ["192.168.1.128/25", null],
        ["10.0.0.1/16", "host bits set; the network address is 10.0.0.0/16"],
        ["10.0.0.0/33", "prefix must be 0-32"],
        ["256.0.0.0/8", "octets must be 0-255"],
        ["10.0.0.0", "expected an IPv4 CIDR"],
        ["not-a-cidr", "expected an IPv4 CIDR"],
    ];
    for (const [text, error] of cases) {
        it(`${text} -> ${error ?? "ok"}`, () => {
            const parsed = parseCidr(text);
            if (error === null) {
                assert.equal(typeof parsed, "object");
                assert.equal(formatCidr(parsed as any), text);
            } else {
                assert.equal(typeof parsed, "string");
                assert.ok((parsed as string).includes(error), parsed as string);
            }
        });
    }
});

describe("network/cidr: containment and overlap", () => {
    const cases: Array<[string, string, boolean, boolean]> = [
        // outer, inner, contains, overlaps
        ["10.0.0.0/16", "10.0.20.0/24", true, true],
        ["10.0.0.0/16", "10.1.0.0/24", false, false],
        ["10.0.0.0/24", "10.0.0.0/16", false, true],
        ["10.0.0.0/24", "10.0.0.128/25", true, true],
        ["10.0.0.0/25", "10.0.0.128/25", false, false],
        ["10.0.255.0/24", "10.1.0.0/24", false, false],
    ];
    for (const [a, b, contains, overlaps] of cases) {
        it(`${a} vs ${b}`, () => {
            assert.equal(cidrContains(mustParseCidr(a), mustParseCidr(b)), contains);
            assert.equal(cidrsOverlap(mustParseCidr(a), mustParseCidr(b)), overlaps);
            assert.equal(cidrsOverlap(mustParseCidr(b), mustParseCidr(a)), overlaps);
        });
    }
});

describe("network/cidr: the seed 001 subnet plan", () => {
    it("carves exactly the seed's six /24s for 10.0.0.0/16 and two AZs", () => {
        assert.deepEqual(carveSubnets("10.0.0.0/16", 2), {
            public: ["10.0.0.0/24", "10.0.1.0/24"],
            private: ["10.0.10.0/24", "10.0.11.0/24"],
            data: ["10.0.20.0/24", "10.0.21.0/24"],
        });
    });
    const cases: Array<[string, number, Record<string, string[]>]> = [
        ["10.0.0.0/16", 3, { public: ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"], private: ["10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24"], data: ["10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24"] }],
        ["10.2.0.0/16", 2, { public: ["10.2.0.0/24", "10.2.1.0/24"], private: ["10.2.10.0/24", "10.2.11.0/24"], data: ["10.2.20.0/24", "10.2.21.0/24"] }],
        ["172.16.32.0/19", 3, { public: ["172.16.32.0/24", "172.16.33.0/24", "172.16.34.0/24"], private: ["172.16.42.0/24", "172.16.43.0/24", "172.16.44.0/24"], data: ["172.16.52.0/24", "172.16.53.0/24", "172.16.54.0/24"] }],
    ];
    for (const [vpc, azs, expected] of cases) {
        it(`${vpc} with ${azs} AZs`, () => {
            assert.deepEqual(carveSubnets(vpc, azs), expected);
            const all = Object.entries(expected).flatMap(([t, list]) => list.map((cidr, i) => ({ label: `${t}${i}`, cidr })));
            assert.deepEqual(checkSubnetLayout(vpc, all), [], "carved subnets are inside the VPC and disjoint");
        });
    }
    it("rejects a VPC too small for the plan and names the prefix to use", () => {
        assert.equal(requiredVpcPrefix(2), 19);
        assert.throws(() => carveSubnets("10.0.0.0/20", 2), /holds 16 \/24 blocks but the subnet plan needs 22.*\/19 or larger/);
    });
    it("rejects an AZ count outside 1-10", () => {
        assert.throws(() => carveSubnets("10.0.0.0/16", 0), /azCount must be an integer/);
    });
});

describe("network/cidr: explicit layouts", () => {
    it("reports subnets outside the VPC and overlaps, each with its label", () => {
        const problems = checkSubnetLayout("10.0.0.0/16", [
            { label: "a", cidr: "10.0.0.0/24" },
            { label: "b", cidr: "10.1.0.0/24" },
            { label: "c", cidr: "10.0.0.128/25" },
            { label: "d", cidr: "10.0.300.0/24" },
        ]);
        assert.deepEqual(problems, [
            "b: 10.1.0.0/24 is not inside the VPC 10.0.0.0/16",
            "c: 10.0.0.128/25 overlaps a (10.0.0.0/24)",
            'd: octets must be 0-255, got "10.0.300.0/24"',
        ]);
    });
});
