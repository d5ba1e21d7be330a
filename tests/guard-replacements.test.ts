/**
 * The replacement guard over recorded `pulumi preview --json` documents
 * (tests/fixtures/preview-json/*.json, written in the CLI's format: see tools/guard-replacements.ts).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { allowMatches, evaluate, parseAllowEnv, parsePreview, PreviewDigest, runCli, STATEFUL_TYPES, typeFromUrn } from "../tools/guard-replacements";

const FIXTURES = path.join(__dirname, "fixtures", "preview-json");
const fixture = (name: string) => path.join(FIXTURES, name);
const REDIS_URN = "urn:pulumi:prod::platform::platform:data:Cache$aws:elasticache/replicationGroup:ReplicationGroup::data-cache-redis";

describe("guard-replacements: recorded previews", () => {
    const cases: { name: string; file: string; argv?: string[]; env?: Record<string, string>; code: number; has: string[]; hasNot?: string[] }[] = [
        { name: "a safe in-place update and a create pass", file: "safe-update.json", code: 0, has: ["nothing is replaced or deleted", "passed"] },
        {
            name: "an Aurora replacement fails and names the resource and the forcing property",
            file: "db-replacement.json",
            code: 1,
            has: ["BLOCKED", "aws:rds/cluster:Cluster 'data-db-cluster': forced by a change of kmsKeyId", "'data-db-writer': forced by a change of clusterIdentifier", "FAILED: 2 stateful", "--allow 'urn:pulumi:prod::platform::platform:data:Database$aws:rds/cluster:Cluster::data-db-cluster'"],
        },
        {
            name: "a bucket delete fails and points at the likely rename",
            file: "bucket-delete.json",
            code: 1,
            has: ["BLOCKED  delete  aws:s3/bucket:Bucket 'data-buckets-documents'", "no longer declares it", 'aliases: [{ name: "data-buckets-documents" }]'],
        },
        { name: "a stateful replacement without an allow fails", file: "allowed-replacement.json", code: 1, has: ["'data-cache-redis': forced by a change of subnetGroupName"] },
        { name: "a replacement allowed by URN passes", file: "allowed-replacement.json", argv: ["--allow", REDIS_URN], code: 0, has: ["allowed ", `allowed by '${REDIS_URN}'`, "passed"] },
        { name: "a replacement allowed by ALLOW_REPLACE glob passes", file: "allowed-replacement.json", env: { ALLOW_REPLACE: "urn:pulumi:prod::*::data-other, urn:pulumi:prod::*ReplicationGroup::data-cache-*" }, code: 0, has: ["allowed by 'urn:pulumi:prod::*ReplicationGroup::data-cache-*'"] },
        { name: "a replacement allowed by logical name passes", file: "allowed-replacement.json", argv: ["--allow=data-cache-redis"], code: 0, has: ["passed"] },
        { name: "an allow for another resource does not cover it", file: "allowed-replacement.json", argv: ["--allow", "data-cache-redis-2"], code: 1, has: ["FAILED"] },
        {
            name: "replacing non-stateful resources passes but is listed",
            file: "non-stateful-replacement.json",
            code: 0,
            has: ["ok       replace aws:ec2/securityGroup:SecurityGroup 'network-sg-app': forced by a change of description", "'compute-api-task'", "passed"],
            hasNot: ["BLOCKED"],
        },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const { code, output } = runCli([fixture(c.file), ...(c.argv ?? [])], c.env ?? {});
            assert.strictEqual(code, c.code, output);
            for (const text of c.has) assert.ok(output.includes(text), `expected '${text}' in:\n${output}`);
            for (const text of c.hasNot ?? []) assert.ok(!output.includes(text), `did not expect '${text}' in:\n${output}`);
        });
    }

    it("judges several previews in one call and fails when any fails", () => {
        const { code, output } = runCli([fixture("safe-update.json"), fixture("bucket-delete.json")], {});
        assert.strictEqual(code, 1);
        assert.ok(output.includes("safe-update.json") && output.includes("bucket-delete.json"));
    });

    it("reports the replacement trio of older CLIs once per resource", () => {
        const digest = parsePreview(fs.readFileSync(fixture("db-replacement.json"), "utf8"));
        const result = evaluate(digest, []);
        assert.deepStrictEqual(result.findings.map((f) => [f.name, f.action, f.verdict]), [
            ["data-db-cluster", "replace", "blocked"],
            ["data-db-writer", "replace", "blocked"],
        ]);
        assert.strictEqual(result.findings[0].protect, true);
    });
});

describe("guard-replacements: fixtures follow the CLI's preview --json format", () => {
    const TOP = new Set(["config", "steps", "diagnostics", "duration", "changeSummary", "maybeCorrupt"]);
    const STEP = new Set(["op", "urn", "provider", "oldState", "newState", "diffReasons", "replaceReasons", "detailedDiff"]);
    const OPS = new Set(["same", "create", "update", "delete", "replace", "create-replacement", "delete-replaced", "read", "read-replacement", "refresh", "discard-replaced", "remove-pending-replace", "import", "import-replacement"]);
    const KINDS = new Set(["add", "add-replace", "delete", "delete-replace", "update", "update-replace"]);
    for (const file of fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".json"))) {
        it(file, () => {
            const doc = JSON.parse(fs.readFileSync(fixture(file), "utf8")) as Record<string, any>;
            assert.deepStrictEqual(Object.keys(doc).filter((k) => !TOP.has(k)), []);
            assert.ok(Array.isArray(doc.steps) && doc.steps.length > 0);
            for (const step of doc.steps) {
                assert.deepStrictEqual(Object.keys(step).filter((k) => !STEP.has(k)), [], step.urn);
                assert.ok(OPS.has(step.op), `op ${step.op}`);
                assert.match(step.urn, /^urn:pulumi:[^:]+::[^:]+::[^:].*::.+$/);
                const state = step.newState ?? step.oldState;
                assert.ok(state, `${step.urn}: a step carries oldState or newState`);
                assert.strictEqual(state.type, typeFromUrn(step.urn), `${step.urn}: state.type matches the URN`);
                assert.strictEqual(state.urn, step.urn);
                for (const d of Object.values(step.detailedDiff ?? {}) as { kind: string }[]) assert.ok(KINDS.has(d.kind), d.kind);
            }
        });
    }
});

describe("guard-replacements: helpers", () => {
    const urn = "urn:pulumi:prod::platform::platform:data:Database$aws:rds/cluster:Cluster::data-db-cluster";
    const table: [string, boolean][] = [
        [urn, true],
        ["data-db-cluster", true],
        ["data-db", false],
        ["urn:pulumi:prod::platform::*::data-db-cluster", true],
        ["urn:pulumi:staging::platform::*::data-db-cluster", false],
        ["*aws:rds/cluster:Cluster::*", true],
        ["*aws:rds/clusterInstance:ClusterInstance::*", false],
        ["urn:pulumi:prod::platform::platform:data:Database$aws:rds/cluster:Cluster::data-db-cluste?", true],
        ["", false],
    ];
    for (const [pattern, expected] of table) {
        it(`allow '${pattern}' ${expected ? "matches" : "does not match"}`, () => assert.strictEqual(allowMatches(pattern, urn), expected));
    }

    it("reads ALLOW_REPLACE separated by commas, spaces or newlines", () => {
        assert.deepStrictEqual(parseAllowEnv("a, b\nc  d,,"), ["a", "b", "c", "d"]);
        assert.deepStrictEqual(parseAllowEnv(undefined), []);
    });

    const step = (op: string, extra: Record<string, unknown> = {}) => ({ op, urn, oldState: { type: "aws:rds/cluster:Cluster", urn }, ...extra });

    it("falls back to the detailed diff's *-replace kinds when replaceReasons is missing", () => {
        const digest: PreviewDigest = { steps: [step("replace", { detailedDiff: { dbSubnetGroupName: { kind: "update-replace" }, tags: { kind: "update" } } })] };
        assert.deepStrictEqual(evaluate(digest, []).findings[0].reasons, ["dbSubnetGroupName"]);
    });

    it("says so when the provider names no property", () => {
        const { output } = runCli(["x.json"], {}, () => JSON.stringify({ steps: [step("replace")] }));
        assert.ok(output.includes("the provider gave no property"), output);
    });

    it("lets a retainOnDelete delete through (the resource stays in AWS) but still fails its replacement", () => {
        const retained = { steps: [step("delete", { oldState: { type: "aws:rds/cluster:Cluster", urn, retainOnDelete: true } })] };
        assert.deepStrictEqual(evaluate(retained, []).findings.map((f) => f.verdict), ["retained"]);
        const replaced = { steps: [step("replace", { oldState: { type: "aws:rds/cluster:Cluster", urn, retainOnDelete: true }, replaceReasons: ["engine"] })] };
        assert.deepStrictEqual(evaluate(replaced, []).blocked.map((f) => f.name), ["data-db-cluster"]);
    });

    it("takes the type from the URN when a step has no state", () => {
        assert.deepStrictEqual(evaluate({ steps: [{ op: "delete", urn }] }, []).blocked.map((f) => f.type), ["aws:rds/cluster:Cluster"]);
    });

    it("guards every type the issue lists", () => {
        for (const t of ["aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance", "aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:dynamodb/table:Table", "aws:s3/bucket:Bucket", "aws:kms/key:Key", "aws:secretsmanager/secret:Secret", "aws:efs/fileSystem:FileSystem", "aws:ec2/subnet:Subnet", "aws:ec2/vpc:Vpc"]) {
            assert.ok(STATEFUL_TYPES[t], t);
        }
    });

    it("refuses a preview without steps (a failed preview) with exit 2 and its error diagnostics", () => {
        const failed = JSON.stringify({ diagnostics: [{ severity: "error", message: "aws:rds/cluster:Cluster resource 'data-db-cluster': property engine is required" }] });
        const { code, output } = runCli(["preview-prod.json"], {}, () => failed);
        assert.strictEqual(code, 2);
        assert.ok(output.includes("did not complete") && output.includes("property engine is required"), output);
    });

    it("reads a preview with log lines around the JSON document, and refuses text that is not one", () => {
        const text = `npm warn something\n${JSON.stringify({ steps: [step("delete")] }, null, 2)}\n`;
        assert.strictEqual(runCli(["p.json"], {}, () => text).code, 1);
        assert.strictEqual(runCli(["p.json"], {}, () => "Previewing update (prod)").code, 2);
    });

    it("needs at least one file and rejects unknown options", () => {
        assert.strictEqual(runCli([], {}).code, 2);
        assert.strictEqual(runCli(["--alow", "x", "p.json"], {}).code, 2);
    });
});
