/**
 * The offline analyzer's wiring: policy config handling as the engine does it, the provider-Check
 * emulation (tagsAll), the resource options and provider info reaching the policies, unknown
 * values, GetAnalyzerInfo, and the report formatters.
 */
import * as assert from "assert";
import * as fs from "fs";
import { describePack, resolvePolicyConfig, setPropertyDependencies, toWire, withProviderCheck } from "../offline/analyze";
import { updatedReadme, README } from "../offline/policy-table";
import { formatMarkdown, formatText, toJson } from "../offline/report";
import { policies } from "../policies";
import { unknownAtPreviewOf } from "../policies/util";
import { check, DEFAULT_TAGS, fired, Graph, UNKNOWN } from "./harness";
import { bucket } from "./fixtures";
import { dataProtectionCases } from "./cases/data-protection";
import { encryptionCases } from "./cases/encryption";
import { iamCases } from "./cases/iam";
import { loggingCases } from "./cases/logging";
import { networkCases } from "./cases/network";
import { resilienceCases } from "./cases/resilience";
import { taggingCases } from "./cases/tagging";

/** Replaces every leaf value with the engine's unknown sentinel (a first preview of everything). */
function unknownLeaves(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unknownLeaves);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unknownLeaves(x)]));
    return UNKNOWN;
}

describe("offline analyzer: policy config", () => {
    it("fills schema defaults and keeps policy default levels", () => {
        const r = resolvePolicyConfig(policies, {});
        assert.deepStrictEqual(r.get("required-tags"), { level: "mandatory", properties: { requiredTags: ["Environment", "Project", "Owner", "ManagedBy"] } });
        assert.strictEqual(r.get("alb-access-logs")!.level, "advisory");
    });

    it("'all' sets every level; a policy entry wins over 'all'", () => {
        const r = resolvePolicyConfig(policies, { all: "advisory", "required-tags": { enforcementLevel: "disabled" } });
        assert.strictEqual(r.get("iam-no-wildcard-actions")!.level, "advisory");
        assert.strictEqual(r.get("required-tags")!.level, "disabled");
    });

    it("reports every problem at once, naming the key path", () => {
        assert.throws(
            () =>
                resolvePolicyConfig(policies, {
                    "no-such-policy": "mandatory",
                    "required-tags": { requiredTags: "Owner" },
                    "log-group-retention": { minimumRetentionDays: 7.5, typo: 1 },
                    "alb-access-logs": "blocking",
                    "aurora-backup-retention": { environment: "production" },
                }),
            (e: Error) => {
                for (const part of [
                    "no-such-policy: no such policy",
                    "required-tags.requiredTags: expected array",
                    "log-group-retention.minimumRetentionDays: expected integer",
                    "log-group-retention.typo: not a config key",
                    "alb-access-logs: enforcement level must be one of",
                    "aurora-backup-retention.environment: expected one of dev, staging, prod",
                ]) {
                    assert.ok(e.message.includes(part), `missing '${part}' in:\n${e.message}`);
                }
                return true;
            },
        );
    });

    it("unknownAtPreview: \"fail\" | \"defer\" with default \"fail\"; any other value, or the key on a policy that does not fail closed, is rejected", () => {
        const r = resolvePolicyConfig(policies, { "iam-trust-policy-principals": { unknownAtPreview: "defer" } });
        assert.strictEqual(r.get("iam-trust-policy-principals")!.properties["unknownAtPreview"], "defer");
        assert.strictEqual(r.get("resource-policy-not-public")!.properties["unknownAtPreview"], "fail");
        assert.throws(
            () =>
                resolvePolicyConfig(policies, {
                    "iam-trust-policy-principals": { unknownAtPreview: "skip" },
                    "s3-bucket-tls-only": { unknownAtPreview: true },
                    "iam-managed-policy-allowlist": { unknownAtPreview: "defer" },
                }),
            (e: Error) => {
                for (const part of [
                    "iam-trust-policy-principals.unknownAtPreview: expected one of fail, defer, got \"skip\"",
                    "s3-bucket-tls-only.unknownAtPreview: expected string, got true",
                    "iam-managed-policy-allowlist.unknownAtPreview: not a config key of this policy",
                ]) {
                    assert.ok(e.message.includes(part), `missing '${part}' in:\n${e.message}`);
                }
                return true;
            },
        );
    });

    it("a policy reads any unknownAtPreview other than exactly \"defer\" as \"fail\" (fail closed if a bad value ever got past the schema)", () => {
        const mode = (c: Record<string, unknown>) => unknownAtPreviewOf({ getConfig: <C extends object>() => c as C });
        assert.strictEqual(mode({ unknownAtPreview: "defer" }), "defer");
        for (const c of [{}, { unknownAtPreview: "fail" }, { unknownAtPreview: "Defer" }, { unknownAtPreview: "skip" }, { unknownAtPreview: true }, { unknownAtPreview: null }]) {
            assert.strictEqual(mode(c), "fail", JSON.stringify(c));
        }
    });

    it("the shipped per-stack config files are valid", () => {
        for (const stack of ["dev", "staging", "prod"]) {
            const file = JSON.parse(fs.readFileSync(`${__dirname}/../config/${stack}.json`, "utf8"));
            const r = resolvePolicyConfig(policies, file);
            assert.strictEqual(r.get("prod-stateful-protected")!.properties["environment"], stack);
        }
    });
});

describe("offline analyzer: engine path", () => {
    it("'all: disabled' silences every policy (levels reach the service through Configure)", async () => {
        const g = new Graph("test", null);
        bucket(g, "b", { sse: false, policy: false });
        const report = await check(g, { all: "disabled" });
        assert.deepStrictEqual(report.diagnostics, []);
        assert.strictEqual(report.policiesEnabled, 0);
    });

    it("a level override changes the reported level", async () => {
        const g = new Graph();
        g.add("aws:dynamodb/table:Table", "t", { serverSideEncryption: { enabled: true, kmsKeyArn: "arn:aws:kms:ap-northeast-1:1:key/x" } });
        const report = await check(g, { "dynamodb-pitr": "advisory" });
        assert.deepStrictEqual(fired(report, { level: "advisory" }), ["dynamodb-pitr"]);
        assert.ok(report.passed);
    });

    it("emulates the provider's Check: tagsAll = defaultTags merged with tags, for taggable types only", () => {
        const provider = { type: "pulumi:providers:aws", inputs: { defaultTags: JSON.stringify({ tags: { Owner: "a", Project: "p" } }) } } as any;
        const r = { type: "aws:sqs/queue:Queue" } as any;
        assert.deepStrictEqual(withProviderCheck(r, { tags: { Owner: "b" } }, provider).tagsAll, { Owner: "b", Project: "p" });
        const objProvider = { ...provider, inputs: { defaultTags: { tags: { Owner: "a" } } } };
        assert.deepStrictEqual(withProviderCheck(r, {}, objProvider).tagsAll, { Owner: "a" });
        assert.strictEqual(withProviderCheck({ type: "aws:ec2/securityGroupRule:SecurityGroupRule" } as any, {}, provider).tagsAll, undefined);
    });

    it("policies see the resource options (protect) and the provider", async () => {
        const tags = { ...DEFAULT_TAGS, Environment: "prod" };
        const g = new Graph("prod", tags);
        g.add("aws:kms/key:Key", "protected", { enableKeyRotation: true }, { protect: true });
        const unprotected = g.add("aws:kms/key:Key", "unprotected", { enableKeyRotation: true });
        const report = await check(g);
        assert.deepStrictEqual(
            report.diagnostics.filter((d) => d.policyName === "prod-stateful-protected").map((d) => d.urn),
            [unprotected.urn],
        );
    });

    it("violations carry urn, type and name; stack violations name the resource they point at", async () => {
        const g = new Graph();
        const b = bucket(g, "b", { versioning: false });
        const report = await check(g);
        const d = report.diagnostics.find((x) => x.policyName === "s3-versioning")!;
        assert.strictEqual(d.urn, b.urn);
        assert.strictEqual(d.resourceType, "aws:s3/bucket:Bucket");
        assert.strictEqual(d.phase, "stack");
        assert.ok(!d.message.startsWith(d.description), "the policy description is stripped from the message");
    });

    it("unknown values travel as the engine's sentinels: non-IAM checks treat a set-but-unknown reference as set, IAM fails closed", async () => {
        const g = new Graph();
        const q = g.add("aws:sqs/queue:Queue", "q", { kmsMasterKeyId: UNKNOWN });
        const p = g.add("aws:iam/policy:Policy", "p", { policy: UNKNOWN });
        const report = await check(g);
        assert.deepStrictEqual(fired(report, { urn: q.urn }), []);
        const iam = report.diagnostics.filter((d) => d.urn === p.urn);
        assert.deepStrictEqual([...new Set(iam.map((d) => d.policyName))].sort(), ["iam-no-privilege-escalation", "iam-no-wildcard-actions", "iam-no-wildcard-resources"]);
        assert.ok(iam.every((d) => d.enforcementLevel === "mandatory" && d.message.includes("could not be verified")));
    });

    it("no policy crashes when values are unknown (every fixture with all leaves, then all properties, unknown)", async () => {
        const all = [...encryptionCases, ...taggingCases, ...iamCases, ...networkCases, ...loggingCases, ...resilienceCases, ...dataProtectionCases];
        const wholeProps = (v: Record<string, any>) => Object.fromEntries(Object.keys(v).map((k) => [k, UNKNOWN]));
        for (const transform of [unknownLeaves, wholeProps]) {
            for (const c of all) {
                const g = new Graph();
                c.build(g);
                for (const r of g.resources) {
                    if (!r.type.startsWith("aws:")) continue;
                    r.inputs = transform(r.inputs) as Record<string, any>;
                    r.state = transform(r.state) as Record<string, any>;
                }
                // Rejects (as the engine would get a gRPC error) if a policy crashes.
                await check(g, c.config);
            }
        }
    });

    it("GetAnalyzerInfo describes every policy with its level and config schema", async () => {
        const described = await describePack();
        assert.deepStrictEqual(described.map((p) => p.name), policies.map((p) => p.name));
        const tags = described.find((p) => p.name === "required-tags")!;
        assert.deepStrictEqual([tags.enforcementLevel, tags.type, tags.configKeys], ["mandatory", "resource", ["requiredTags"]]);
        assert.strictEqual(described.find((p) => p.name === "vpc-flow-logs")!.type, "stack");
    });

    it("README's policy table is up to date (regenerate with policypack/offline/policy-table.ts --write)", async () => {
        const text = fs.readFileSync(README, "utf8");
        assert.strictEqual(await updatedReadme(text), text);
    });
});

describe("offline analyzer: reports", () => {
    it("text groups by level and policy, markdown and JSON summarise per stack", async () => {
        const g = new Graph("dev", { Environment: "dev" });
        g.add("aws:lb/loadBalancer:LoadBalancer", "alb", {});
        g.add("aws:dynamodb/table:Table", "t", {});
        const report = await check(g);
        const text = formatText(report);
        assert.ok(text.indexOf("MANDATORY  dynamodb-pitr") < text.indexOf("ADVISORY  alb-access-logs"), text);
        assert.match(text, /aws:dynamodb\/table:Table 't'/);
        assert.match(text, /FAILED/);
        assert.match(formatMarkdown([report]), /\| dev \| \*\*failed\*\* \|/);
        const json = JSON.parse(toJson([report]));
        assert.strictEqual(json.passed, false);
        assert.strictEqual(json.stacks[0].counts.mandatory, report.counts.mandatory);
        // The shape .github/workflows/pr-report.yml reads: top-level violations with enforcementLevel.
        assert.strictEqual(json.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory").length, report.counts.mandatory);
        assert.strictEqual(json.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "advisory").length, report.counts.advisory);
        assert.ok(json.violations.every((v: { stack: string }) => v.stack === "dev"));
    });
});

describe("offline analyzer: property dependencies", () => {
    it("travel in AnalyzeStack as the engine's AnalyzerResource.propertyDependencies (map of URN lists) and survive the wire", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const analyzerproto = require("@pulumi/pulumi/proto/analyzer_pb") as typeof import("@pulumi/pulumi/proto/analyzer_pb");
        const ar = new analyzerproto.AnalyzerResource();
        setPropertyDependencies(ar, { vpcId: ["urn:a"], subnetIds: ["urn:b", "urn:c"] });
        const back = analyzerproto.AnalyzerResource.deserializeBinary(ar.serializeBinary());
        const got: Record<string, string[]> = {};
        back.getPropertydependenciesMap().forEach((v, k) => (got[k] = v.getUrnsList()));
        assert.deepStrictEqual(got, { vpcId: ["urn:a"], subnetIds: ["urn:b", "urn:c"] });
    });

    it("the SDK's in-process unknown (an unresolved Output in recorded state) travels as the engine's sentinel, not as an object", () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { unknown } = require("@pulumi/pulumi/output");
        assert.deepStrictEqual(toWire({ a: unknown, b: [unknown, "x"], c: { d: unknown } }), { a: UNKNOWN, b: [UNKNOWN, "x"], c: { d: UNKNOWN } });
    });

    it("reach stack policies as PolicyResource references: an unknown vpcId matches its VPC only by dependency", async () => {
        const build = (deps: boolean) => {
            const g = new Graph();
            const v = g.add("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" }, { state: { id: UNKNOWN } });
            g.add("aws:ec2/flowLog:FlowLog", "fl", { vpcId: UNKNOWN, trafficType: "ALL" }, deps ? { deps: { vpcId: [v] } } : {});
            return g;
        };
        assert.deepStrictEqual(fired(await check(build(true))).filter((p) => p === "vpc-flow-logs"), []);
        assert.deepStrictEqual(fired(await check(build(false))).filter((p) => p === "vpc-flow-logs"), ["vpc-flow-logs"]);
    });
});
