/**
 * The `platform:data` section: defaults, merge semantics of the tables/buckets maps, and bad
 * declarations rejected with the key path, what was expected and the fix.
 */
import { strict as assert } from "assert";
import { parseStackConfig } from "../components/config";
import { awsResources, configErrorOf, runStack } from "./harness";

const errorOf = (r: Record<string, any>, stack = "prod"): string => configErrorOf(r, stack).message;

const AZS = ["ap-northeast-1a", "ap-northeast-1c"];
function raw(environment: "dev" | "staging" | "prod", data: Record<string, unknown> = {}): Record<string, any> {
    return { region: "ap-northeast-1", environment, project: "ragplatform", owner: "platform-team", network: { azs: [...AZS] }, data };
}


describe("data config: defaults", () => {
    it("are the production values (seed 001/002/000)", () => {
        const cfg = parseStackConfig(raw("prod"), "prod");
        const d = cfg.data;
        assert.deepEqual([d.database.minCapacity, d.database.maxCapacity, d.database.instances, d.database.backupRetentionDays, d.database.backupWindow], [0.5, 2, 2, 7, "03:00-04:00"]);
        assert.equal(d.database.skipFinalSnapshot, false);
        assert.deepEqual([d.cache.nodes, d.cache.snapshotRetentionDays, d.cache.nodeType], [2, 7, "cache.r6g.large"]);
        assert.equal(d.tableDefaults.billingMode, "provisioned");
        assert.equal(d.tableDefaults.pointInTimeRecovery, true);
        assert.deepEqual(Object.keys(d.tables), ["documents", "chatSessions", "processingHistory", "prompts", "userSessions"]);
        assert.deepEqual(Object.keys(d.buckets).sort(), ["appData", "backups", "documents", "logs", "prompts", "staticSite", "temporary"]);
        assert.equal(d.replication.enabled, true);
        assert.deepEqual([d.backup.enabled, d.backup.copyToDr], [true, true]);
        assert.equal(d.efs.enabled, false);
        assert.ok(Object.isFrozen(d.tables.documents.gsis));
    });

    it("a stack adds a table, changes a built-in one field by field, and removes one with null", () => {
        const cfg = parseStackConfig(
            raw("dev", {
                tables: {
                    auditEvents: { attributes: { eventId: "S", at: "N" }, partitionKey: "eventId", sortKey: "at", ttl: { attribute: "expiresAt", days: 90 } },
                    prompts: { billingMode: "onDemand" },
                    processingHistory: null,
                },
                buckets: { exports: { lifecycle: [{ id: "expire", expirationDays: 30 }] }, temporary: null },
            }),
            "dev",
        );
        assert.deepEqual(Object.keys(cfg.data.tables), ["documents", "chatSessions", "prompts", "userSessions", "auditEvents"]);
        assert.equal(cfg.data.tables.prompts.billingMode, "onDemand");
        assert.equal(cfg.data.tables.prompts.partitionKey, "promptKey", "the built-in keys survive a partial override");
        assert.deepEqual(cfg.data.tables.auditEvents.gsis, [], "defaults apply to added entries");
        assert.equal(cfg.data.buckets.exports.kind, "data");
        assert.equal(cfg.data.buckets.exports.replicate, true);
        assert.equal(cfg.data.buckets.temporary, undefined);
    });
});

/** Bad declarations and the exact lines they must produce. */
const BROKEN: Array<{ name: string; stack?: "dev" | "staging" | "prod"; data: Record<string, unknown>; expect: string[] }> = [
    {
        name: "unknown attribute type",
        data: { tables: { auditEvents: { attributes: { eventId: "STRING" }, partitionKey: "eventId" } } },
        expect: ['data.tables.auditEvents.attributes.eventId: unknown attribute type "STRING"; expected S (string), N (number) or B (binary)'],
    },
    {
        name: "GSI on an undeclared attribute",
        data: { tables: { userSessions: { gsis: [{ name: "by-device", partitionKey: "deviceId" }], attributes: { userId: "S", sessionId: "S" } } } },
        expect: ['data.tables.userSessions.gsis[0].partitionKey: GSI by-device partition key "deviceId" is not declared in attributes; expected one of userId, sessionId or add it with its type'],
    },
    {
        name: "table without attributes",
        data: { tables: { auditEvents: { partitionKey: "eventId" } } },
        expect: ["data.tables.auditEvents.attributes: expected the key attributes with their types (S, N or B), e.g. { documentId: S }, got nothing (the key is not set)"],
    },
    {
        name: "bad bucket lifecycle ordering",
        data: { buckets: { appData: { lifecycle: [{ id: "archive", transitions: { standardIaDays: 30, glacierDays: 20, deepArchiveDays: 365 } }] } } },
        expect: ["data.buckets.appData.lifecycle[0].transitions.glacierDays: expected glacierDays >= standardIaDays + 30 (objects stay 30 days in STANDARD_IA), got 20 after 30"],
    },
    {
        name: "Standard-IA too early",
        data: { buckets: { backups: { lifecycle: [{ id: "ia", transitions: { standardIaDays: 7 } }] } } },
        expect: ["data.buckets.backups.lifecycle[0].transitions.standardIaDays: S3 moves objects to STANDARD_IA after at least 30 days, got 7"],
    },
    {
        name: "bad bucket prefix",
        data: { buckets: { documents: { prefixes: ["Legal"] } } },
        expect: ["data.buckets.documents.prefixes[0]: expected a prefix such as legal/"],
    },
    {
        name: "no logs bucket",
        data: { buckets: { logs: null } },
        expect: ["data.buckets: expected exactly one bucket of kind logs, named logs (the access-log target of contracts.ts), got none"],
    },
    {
        name: "prod with one Aurora instance",
        data: { database: { instances: 1 } },
        expect: [
            "data.database.instances: prod needs a writer and at least one reader in another AZ (Multi-AZ, seed 001 AC-REL-1), got 1",
            "fix: pulumi config set --path 'data.database.instances' 2 --stack prod",
        ],
    },
    {
        name: "ACU min > max",
        stack: "staging",
        data: { database: { minCapacity: 4, maxCapacity: 2 } },
        expect: ["data.database.minCapacity: ACU min (4) must not exceed max (2); seed 002 uses 0.5-2.0"],
    },
    {
        name: "ACU not a half step",
        stack: "staging",
        data: { database: { minCapacity: 0.7 } },
        expect: ["data.database.minCapacity: expected a multiple of 0.5 ACU, got 0.7"],
    },
    {
        name: "scale to zero on an engine without auto-pause",
        stack: "dev",
        data: { database: { minCapacity: 0, engineVersion: "15.4", instances: 1 } },
        expect: ["data.database.minCapacity: minCapacity 0 (auto-pause) needs aurora-postgresql 16.3+, 15.7+, 14.12+ or 13.15+, got engineVersion 15.4"],
    },
    {
        name: "auto-pause seconds without scale to zero",
        stack: "dev",
        data: { database: { secondsUntilAutoPause: 600 } },
        expect: ["data.database.secondsUntilAutoPause: only applies when minCapacity is 0 (auto-pause)"],
    },
    {
        name: "prod pausing, skipping the final snapshot, short retention",
        data: { database: { minCapacity: 0, skipFinalSnapshot: true, backupRetentionDays: 1 } },
        expect: [
            "data.database.minCapacity: prod must not pause the database",
            "data.database.skipFinalSnapshot: prod must take a final snapshot on deletion",
            "data.database.backupRetentionDays: prod keeps automated backups at least 7 days (seed 001 AC-REL-5), got 1",
        ],
    },
    {
        name: "prod Redis with one node",
        data: { cache: { nodes: 1 } },
        expect: ["data.cache.nodes: prod needs Multi-AZ Redis with automatic failover (>= 2 nodes), got 1"],
    },
    {
        name: "prod without replication or backups",
        data: { replication: { enabled: false }, backup: { enabled: false } },
        expect: ["data.replication.enabled: prod replicates buckets to the DR region (seed 001)", "data.backup.enabled: prod keeps an AWS Backup plan"],
    },
    {
        name: "table capacity min > max",
        data: { tables: { documents: { read: { min: 50, max: 10 } } } },
        expect: ["data.tables.documents.read: min (50) must not exceed max (10)"],
    },
    {
        name: "misspelt key",
        data: { databse: {} },
        expect: ['data: Unrecognized key: "databse"'],
    },
];

describe("data config: bad declarations are rejected with clear errors", () => {
    for (const c of BROKEN) {
        it(c.name, () => {
            const stack = c.stack ?? "prod";
            const message = errorOf(raw(stack, c.data), stack);
            for (const line of c.expect) {
                assert.ok(message.includes(line), `expected\n  ${line}\nin\n${message}`);
            }
        });
    }

    it("the built-in configuration of every environment passes", () => {
        for (const env of ["dev", "staging", "prod"] as const) {
            parseStackConfig(raw(env, env === "prod" ? {} : { database: { instances: 1 }, cache: { nodes: 1 } }), env);
        }
    });
});

describe("data config: a bad data section registers no resource", () => {
    it("prod with one Aurora instance fails before any AWS resource", async () => {
        let error: unknown;
        let registered = -1;
        try {
            const run = await runStack("prod", { configOverrides: { "platform:data": { database: { instances: 1 } } } });
            registered = awsResources(run).length;
        } catch (e) {
            error = e;
        }
        assert.ok(error instanceof Error, `expected the program to fail (registered ${registered} resources)`);
        assert.match(String((error as Error).message), /data\.database\.instances: prod needs a writer and at least one reader/);
    });
});

describe("data config: every structural problem of every entry at once", () => {
    it("reports a broken added table and a broken built-in bucket together", () => {
        const message = errorOf(raw("prod", { tables: { auditEvents: { partitionKey: "eventId" } }, buckets: { documents: { prefixes: ["Legal"] } } }));
        assert.match(message, /has 2 problems/);
        assert.ok(message.includes("data.tables.auditEvents.attributes: expected the key attributes"));
        assert.ok(message.includes('data.buckets.documents.prefixes[0]: expected a prefix such as legal/, got "Legal"'));
    });
});
