/**
 * Change safety of the configuration: turning a knob that AWS can change in place must change
 * resource inputs only, never a URN (a changed URN is a delete + create in the real stack).
 *
 * Table-driven: each row is a knob, the stacks to try it on (each is a full program run, ~5-10 s
 * here: prod unless a stack's shape differs) and a config override (stack-file
 * keys, deep-merged into Pulumi.<stack>.yaml by runStack). Each row must also name at least one
 * input it expects to change, so the row proves the override reached the program (a row whose
 * override is silently ignored fails instead of passing vacuously).
 *
 * Only knobs that are updatable in place belong here. Knobs that add or remove resources
 * (natStrategy, interface endpoint lists, AZ lists) or that the provider can only apply by
 * replacement (flow log trafficType, subnet CIDRs, KMS key of a database) do not: those are
 * reviewed with the URN snapshot and the replacement guard (docs/safe-changes.md).
 *
 * Add a row when a tier lands (edge cache TTLs, alarm thresholds, ...), for example:
 *   { knob: "monitoring.alarms.cpuHighPercent", stacks: ["prod"], overrides: { "platform:monitoring": { alarms: { cpuHighPercent: 85 } } },
 *     expect: [{ type: "aws:cloudwatch/metricAlarm:MetricAlarm", input: "threshold", value: 85 }] },
 */
import * as assert from "assert";
import { runStack, stackRun, StackRun } from "./harness";
import { diffUrns, explainDiff, urnsOf } from "../tools/urn-snapshot";

interface ExpectedChange {
    /** Resource type whose input must differ (at least one resource of it). */
    type: string;
    /** Top-level input name. */
    input: string;
    /** The new value, when the row wants to pin it. */
    value?: unknown;
}

interface Row {
    knob: string;
    stacks: string[];
    overrides: Record<string, unknown>;
    expect: ExpectedChange[];
}

export const MUTABLE_KNOBS: Row[] = [
    {
        knob: "network.flowLogs.retentionDays",
        stacks: ["prod"],
        overrides: { "platform:network": { flowLogs: { retentionDays: 90 } } },
        expect: [{ type: "aws:cloudwatch/logGroup:LogGroup", input: "retentionInDays", value: 90 }],
    },
    {
        knob: "extraTags (default tags through the providers)",
        stacks: ["prod"],
        overrides: { "platform:extraTags": { DataClassification: "internal" } },
        expect: [{ type: "pulumi:providers:aws", input: "defaultTags" }],
    },
    {
        knob: "costCenter (CostCenter tag)",
        stacks: ["staging"],
        overrides: { "platform:costCenter": "rag-platform-shared" },
        expect: [{ type: "pulumi:providers:aws", input: "defaultTags" }],
    },
    // Data tier: Aurora Serverless v2 capacity and backups are modified in place (ModifyDBCluster).
    {
        knob: "data.database.maxCapacity (ACU range)",
        stacks: ["prod"],
        overrides: { "platform:data": { database: { maxCapacity: 4 } } },
        expect: [{ type: "aws:rds/cluster:Cluster", input: "serverlessv2ScalingConfiguration" }],
    },
    {
        knob: "data.database.backupRetentionDays",
        stacks: ["prod"],
        overrides: { "platform:data": { database: { backupRetentionDays: 14 } } },
        expect: [{ type: "aws:rds/cluster:Cluster", input: "backupRetentionPeriod", value: 14 }],
    },
    {
        knob: "data.database.backupWindow",
        stacks: ["prod"],
        overrides: { "platform:data": { database: { backupWindow: "18:00-19:00" } } },
        expect: [{ type: "aws:rds/cluster:Cluster", input: "preferredBackupWindow", value: "18:00-19:00" }],
    },
    // Redis: node type scales online (ModifyReplicationGroup), snapshot retention is a setting.
    {
        knob: "data.cache.nodeType",
        stacks: ["prod"],
        overrides: { "platform:data": { cache: { nodeType: "cache.r6g.xlarge" } } },
        expect: [{ type: "aws:elasticache/replicationGroup:ReplicationGroup", input: "nodeType", value: "cache.r6g.xlarge" }],
    },
    {
        knob: "data.cache.snapshotRetentionDays",
        stacks: ["prod"],
        overrides: { "platform:data": { cache: { snapshotRetentionDays: 14 } } },
        expect: [{ type: "aws:elasticache/replicationGroup:ReplicationGroup", input: "snapshotRetentionLimit", value: 14 }],
    },
    // DynamoDB auto scaling: targets and tracking policies are updated in place.
    {
        knob: "data.tableDefaults.read.max / targetUtilization",
        stacks: ["prod"],
        overrides: { "platform:data": { tableDefaults: { read: { min: 5, max: 200 }, targetUtilization: 60 } } },
        expect: [
            { type: "aws:appautoscaling/target:Target", input: "maxCapacity", value: 200 },
            { type: "aws:appautoscaling/policy:Policy", input: "targetTrackingScalingPolicyConfiguration" },
        ],
    },
    // Compute tier: task counts, scaling thresholds and log retention are settings of existing resources.
    {
        knob: "compute.services.<name>.minTasks / maxTasks (task counts)",
        stacks: ["prod"],
        overrides: { "platform:compute": { services: { web: { minTasks: 3, maxTasks: 12 } } } },
        expect: [
            { type: "aws:appautoscaling/target:Target", input: "minCapacity", value: 3 },
            { type: "aws:appautoscaling/target:Target", input: "maxCapacity", value: 12 },
        ],
    },
    {
        knob: "compute.services.<name>.scaling.cpuTarget (threshold)",
        stacks: ["prod"],
        overrides: { "platform:compute": { services: { web: { scaling: { cpuTarget: 60 } } } } },
        expect: [{ type: "aws:appautoscaling/policy:Policy", input: "targetTrackingScalingPolicyConfiguration" }],
    },
    {
        knob: "compute.logRetentionDays",
        stacks: ["prod"],
        overrides: { "platform:compute": { logRetentionDays: 180 } },
        expect: [{ type: "aws:cloudwatch/logGroup:LogGroup", input: "retentionInDays", value: 180 }],
    },
    // A deploy: a new image tag is a new task definition revision (the provider replaces the
    // TaskDefinition, which holds no data) and the service rolls; no URN moves.
    {
        knob: "compute.services.<name>.image.tag (a deploy)",
        stacks: ["prod"],
        overrides: { "platform:compute": { services: { web: { image: { tag: "0.2.0" } } } } },
        expect: [{ type: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions" }],
    },
];

/** Per URN, the top-level inputs whose values differ between two runs of the same program. */
export function changedInputs(before: StackRun, after: StackRun): Map<string, string[]> {
    const old = new Map(before.resources.map((r) => [r.urn, r]));
    const out = new Map<string, string[]>();
    for (const r of after.resources) {
        const o = old.get(r.urn);
        if (!o) continue;
        const keys = [...new Set([...Object.keys(o.inputs ?? {}), ...Object.keys(r.inputs ?? {})])];
        const changed = keys.filter((k) => JSON.stringify(o.inputs?.[k]) !== JSON.stringify(r.inputs?.[k])).sort();
        if (changed.length > 0) out.set(r.urn, changed);
    }
    return out;
}

function typeOfUrn(run: StackRun, urn: string): string {
    return run.resources.find((r) => r.urn === urn)?.type ?? "?";
}

describe("change safety: mutable knobs change inputs, never URNs", () => {
    for (const row of MUTABLE_KNOBS) {
        for (const stack of row.stacks) {
            it(`${row.knob} on ${stack}`, async () => {
                const before = await stackRun(stack);
                const after = await runStack(stack, { configOverrides: row.overrides });
                const diff = diffUrns(urnsOf(before), urnsOf(after));
                if (diff.removed.length + diff.added.length > 0) {
                    assert.fail(`changing ${row.knob} must not change any URN, but:\n${explainDiff(stack, diff)}`);
                }
                const changed = changedInputs(before, after);
                const seen = [...changed].map(([urn, keys]) => `${typeOfUrn(after, urn)} ${urn.split("::").pop()}: ${keys.join(", ")}`);
                for (const e of row.expect) {
                    const hits = after.resources.filter((r) => r.type === e.type && changed.get(r.urn)?.includes(e.input));
                    assert.ok(hits.length > 0, `expected ${row.knob} to change input '${e.input}' of a ${e.type} on ${stack}; inputs that changed: ${seen.join("; ") || "none (was the override ignored?)"}`);
                    if (e.value !== undefined) {
                        for (const h of hits) assert.deepStrictEqual(h.inputs[e.input], e.value, `${h.urn}.${e.input}`);
                    }
                }
            });
        }
    }
});

describe("change safety: the comparison notices what it must", () => {
    it("a knob that removes resources changes URNs (prod natStrategy onePerAz -> single)", async () => {
        const before = await stackRun("prod");
        const after = await runStack("prod", { configOverrides: { "platform:network": { natStrategy: "single" } } });
        const diff = diffUrns(urnsOf(before), urnsOf(after));
        assert.ok(diff.removed.some((u) => u.includes("aws:ec2/natGateway:NatGateway")), JSON.stringify(diff, null, 2));
    });

    it("an override that changes nothing shows no changed input (so a row cannot pass vacuously)", async () => {
        const before = await stackRun("prod");
        const same = await runStack("prod", { configOverrides: { "platform:network": { flowLogs: { retentionDays: 30 } } } });
        assert.deepStrictEqual([...changedInputs(before, same).keys()], []);
    });
});
