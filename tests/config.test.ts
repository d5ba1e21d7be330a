import { strict as assert } from "assert";
import { parseStackConfig } from "../components/config";
import { awsResources, configErrorOf, runStack } from "./harness";

const problemsOf = (raw: Record<string, any>, unknownKeys: string[] = []) => configErrorOf(raw, "prod", unknownKeys);

const AZS = ["ap-northeast-1a", "ap-northeast-1c"];
function valid(): Record<string, any> {
    return { region: "ap-northeast-1", environment: "prod", project: "ragplatform", owner: "platform-team", network: { azs: [...AZS] } };
}


describe("config: a valid configuration", () => {
    it("is frozen, defaulted to production-safe values and tagged", () => {
        const cfg = parseStackConfig(valid(), "prod");
        assert.ok(Object.isFrozen(cfg) && Object.isFrozen(cfg.network) && Object.isFrozen(cfg.network.azs));
        assert.equal(cfg.network.cidr, "10.0.0.0/16");
        assert.equal(cfg.network.natStrategy, "onePerAz");
        assert.deepEqual(cfg.network.flowLogs, { enabled: true, retentionDays: 30, trafficType: "ALL" });
        assert.equal(cfg.network.interfaceEndpoints.enabled, true);
        assert.equal(cfg.protectData, true);
        assert.equal(cfg.drRegion, "us-west-2");
        assert.deepEqual(cfg.tags, { Environment: "prod", Project: "ragplatform", Owner: "platform-team", ManagedBy: "pulumi" });
    });
    it("adds CostCenter and extra tags when configured", () => {
        const cfg = parseStackConfig({ ...valid(), costCenter: "cc-42", extraTags: { Team: "rag" } }, "prod");
        assert.deepEqual(cfg.tags, { Team: "rag", Environment: "prod", Project: "ragplatform", Owner: "platform-team", ManagedBy: "pulumi", CostCenter: "cc-42" });
    });
});

/** Broken configurations and the exact lines they must produce (path: message / fix). */
const BROKEN: Array<{ name: string; raw: Record<string, any>; unknown?: string[]; expect: string[] }> = [
    {
        name: "one availability zone",
        raw: { ...valid(), network: { azs: ["ap-northeast-1a"] } },
        expect: ['network.azs: expected 2-3 availability zones, got ["ap-northeast-1a"]', "fix: pulumi config set --path 'network.azs' <value> --stack prod"],
    },
    {
        name: "four availability zones",
        raw: { ...valid(), network: { azs: ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d", "ap-northeast-1b"] } },
        expect: ["network.azs: expected 2-3 availability zones"],
    },
    {
        name: "a zone of another region",
        raw: { ...valid(), network: { azs: ["us-east-1a", "ap-northeast-1c"] } },
        expect: ['network.azs[0]: expected a zone of ap-northeast-1 such as ap-northeast-1a, got "us-east-1a"', "aws ec2 describe-availability-zones --region ap-northeast-1"],
    },
    {
        name: "duplicate zones",
        raw: { ...valid(), network: { azs: ["ap-northeast-1a", "ap-northeast-1a"] } },
        expect: ["network.azs: zones must be distinct, got ap-northeast-1a, ap-northeast-1a"],
    },
    {
        name: "unknown environment",
        raw: { ...valid(), environment: "production" },
        expect: ['platform:environment: Invalid option: expected one of "dev"|"staging"|"prod", got "production"', "fix: pulumi config set platform:environment <value> --stack prod"],
    },
    {
        name: "region not set",
        raw: { ...valid(), region: undefined },
        expect: ["aws:region: required, expected string (the key is not set)", "fix: pulumi config set aws:region <value> --stack prod"],
    },
    {
        name: "VPC CIDR with host bits",
        raw: { ...valid(), network: { cidr: "10.0.0.1/16", azs: AZS } },
        expect: ['network.cidr: 10.0.0.1/16 has host bits set; the network address is 10.0.0.0/16, got "10.0.0.1/16"'],
    },
    {
        name: "misspelt network key and unknown top-level key",
        raw: { ...valid(), network: { azs: AZS, natStrategey: "single" } },
        unknown: ["platform:netwrok"],
        expect: ["platform:netwrok: unknown key; expected one of", "fix: pulumi config rm platform:netwrok --stack prod", 'network: Unrecognized key: "natStrategey"'],
    },
    {
        name: "unknown NAT strategy",
        raw: { ...valid(), network: { azs: AZS, natStrategy: "none" } },
        expect: ['network.natStrategy: Invalid option: expected one of "single"|"onePerAz", got "none"'],
    },
    {
        name: "retention CloudWatch does not accept",
        raw: { ...valid(), network: { azs: AZS, flowLogs: { retentionDays: 10 } } },
        expect: ["network.flowLogs.retentionDays: expected one of the CloudWatch Logs retention values 1, 3, 5, 7, 14, 30", "got 10"],
    },
    {
        name: "prod without flow logs",
        raw: { ...valid(), network: { azs: AZS, flowLogs: { enabled: false } } },
        expect: ["network.flowLogs.enabled: prod must keep VPC flow logs", "fix: pulumi config set --path 'network.flowLogs.enabled' true --stack prod"],
    },
    {
        name: "prod without data protection",
        raw: { ...valid(), protectData: false },
        expect: ["protectData: prod must protect its stateful resources", "fix: pulumi config set platform:protectData true --stack prod"],
    },
    {
        name: "explicit subnets: overlapping, outside the VPC, wrong count",
        raw: { ...valid(), network: { azs: AZS, subnets: { public: ["10.0.0.0/24", "10.0.1.0/24"], private: ["10.0.0.0/24", "10.1.11.0/24"], data: ["10.0.20.0/24"] } } },
        expect: [
            "network.subnets.data: expected one CIDR per AZ (2), got 1",
            "network.subnets.private[0]: 10.0.0.0/24 overlaps network.subnets.public[0] (10.0.0.0/24)",
            "network.subnets.private[1]: 10.1.11.0/24 is not inside the VPC 10.0.0.0/16",
        ],
    },
    {
        name: "VPC too small for the default plan",
        raw: { ...valid(), network: { cidr: "10.0.0.0/20", azs: AZS } },
        expect: ["network.cidr: 10.0.0.0/20 is too small for the default subnet plan of 2 AZs; expected /19 or larger"],
    },
    {
        name: "reserved tag in extraTags",
        raw: { ...valid(), extraTags: { Owner: "someone" } },
        expect: ["extraTags.Owner: Owner is set by the platform and cannot be overridden here"],
    },
    {
        name: "project slug with upper case",
        raw: { ...valid(), project: "Rag_Platform" },
        expect: ['platform:project: expected lower-case letters, digits and dashes, starting with a letter (max 24), got "Rag_Platform"'],
    },
];

describe("config: broken configurations", () => {
    for (const c of BROKEN) {
        it(`${c.name}`, () => {
            const err = problemsOf(c.raw, c.unknown);
            assert.match(err.message, /^Stack configuration of 'prod' has \d+ problems? \(no resource was created\):/);
            for (const line of c.expect) {
                assert.ok(err.message.includes(line), `missing:\n  ${line}\nin:\n${err.message}`);
            }
        });
    }

    it("reports every problem at once, not only the first", () => {
        const err = problemsOf({ ...valid(), environment: "qa", owner: "", network: { azs: ["x"], natStrategy: "many" } });
        assert.deepEqual(
            err.problems.map((p) => p.path),
            ["platform:environment", "platform:owner", "network.azs", "network.natStrategy"],
        );
    });
});

describe("config: a bad stack file registers no resource", () => {
    it("throws the ConfigError from the program and creates nothing", async () => {
        const err = await runStack("dev", { configOverrides: { "platform:network": { natStrategy: "three" } } }).then(
            (r) => assert.fail(`expected the run to fail, it created ${awsResources(r).length} AWS resources`),
            (e: Error) => e,
        );
        assert.match(err.message, /network\.natStrategy: Invalid option: expected one of "single"\|"onePerAz", got "three"/);
        const recorded: Array<{ type: string }> = (err as any).recordedResources;
        assert.ok(Array.isArray(recorded), "the runner reports what was registered before the failure");
        assert.deepEqual(recorded.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => r.type), [], "no resource besides the stack itself");
    });
});
