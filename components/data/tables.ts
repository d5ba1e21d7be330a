import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import type { StackConfig } from "../config";
import type { TableRef } from "../contracts";
import { kebab, scalingTargets, tableName } from "./tables-spec";

export interface TablesArgs {
    /** The validated `data.tables` map (built-in seed 000 tables merged with the stack's). */
    tables: StackConfig["data"]["tables"];
    /** `data.tableDefaults`: billing mode, capacity ranges, target utilisation, PITR. */
    defaults: StackConfig["data"]["tableDefaults"];
    namePrefix: string;
    /** Data-domain CMK. */
    kmsKeyArn: pulumi.Input<string>;
    protect: boolean;
}

/**
 * The DynamoDB tables declared in config (seed 000 INFRA-001): keys, GSIs, TTL, streams,
 * SSE-KMS with the data key, point-in-time recovery, deletion protection in prod. Provisioned
 * tables get Application Auto Scaling targets and target-tracking policies for read and write
 * capacity, on the table and on each GSI; provisioned capacities are then owned by autoscaling
 * (`ignoreChanges`), so a `pulumi up` never resets them.
 *
 * Costs (ap-northeast-1): on-demand $0.715 per million writes, $0.143 per million reads;
 * provisioned $0.000742 per WCU-hour, $0.0001484 per RCU-hour (5 RCU + 5 WCU ~ $3.2/month per
 * table or GSI at the minimum); storage $0.285/GB-month; PITR $0.228/GB-month.
 */
export class Tables extends pulumi.ComponentResource {
    public readonly tables: Readonly<Record<string, TableRef>>;

    constructor(name: string, args: TablesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:data:Tables", name, {}, opts);
        const child = { parent: this };
        const keep: pulumi.CustomResourceOptions = args.protect ? { parent: this, protect: true, retainOnDelete: true } : child;
        const d = args.defaults;
        const tables: Record<string, TableRef> = {};

        for (const [key, spec] of Object.entries(args.tables)) {
            const physical = tableName(args.namePrefix, key);
            const provisioned = (spec.billingMode ?? d.billingMode) === "provisioned";
            const read = spec.read ?? d.read;
            const write = spec.write ?? d.write;
            const capacity = provisioned ? { readCapacity: read.min, writeCapacity: write.min } : {};
            const keySchema = (pk: string, sk?: string) => [
                { attributeName: pk, keyType: "HASH" },
                ...(sk !== undefined ? [{ attributeName: sk, keyType: "RANGE" }] : []),
            ];
            const table = new aws.dynamodb.Table(
                `${name}-${kebab(key)}`,
                {
                    name: physical,
                    billingMode: provisioned ? "PROVISIONED" : "PAY_PER_REQUEST",
                    hashKey: spec.partitionKey,
                    ...(spec.sortKey !== undefined ? { rangeKey: spec.sortKey } : {}),
                    attributes: Object.entries(spec.attributes).map(([attrName, type]) => ({ name: attrName, type })),
                    globalSecondaryIndexes: spec.gsis.map((g) => ({
                        name: g.name,
                        keySchemas: keySchema(g.partitionKey, g.sortKey),
                        projectionType: g.projection,
                        ...capacity,
                    })),
                    ...capacity,
                    ...(spec.ttl ? { ttl: { attributeName: spec.ttl.attribute, enabled: true } } : {}),
                    ...(spec.stream ? { streamEnabled: true, streamViewType: spec.stream } : {}),
                    serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },
                    pointInTimeRecovery: { enabled: d.pointInTimeRecovery },
                    deletionProtectionEnabled: args.protect,
                    tags: { Name: physical, ...(spec.ttl ? { TtlDays: String(spec.ttl.days) } : {}) },
                },
                {
                    ...keep,
                    // Autoscaling owns provisioned capacity after creation.
                    ...(provisioned ? { ignoreChanges: ["readCapacity", "writeCapacity", "globalSecondaryIndexes[*].readCapacity", "globalSecondaryIndexes[*].writeCapacity"] } : {}),
                },
            );

            if (provisioned) {
                for (const t of scalingTargets(physical, spec.gsis, read, write)) {
                    const target = new aws.appautoscaling.Target(
                        `${name}-${kebab(key)}-${t.role}`,
                        { serviceNamespace: "dynamodb", resourceId: t.resourceId, scalableDimension: t.scalableDimension, minCapacity: t.min, maxCapacity: t.max },
                        { parent: this, dependsOn: [table] },
                    );
                    new aws.appautoscaling.Policy(
                        `${name}-${kebab(key)}-${t.role}-tracking`,
                        {
                            name: `${physical}-${t.role}`,
                            policyType: "TargetTrackingScaling",
                            serviceNamespace: target.serviceNamespace,
                            resourceId: target.resourceId,
                            scalableDimension: target.scalableDimension,
                            targetTrackingScalingPolicyConfiguration: {
                                predefinedMetricSpecification: { predefinedMetricType: t.metric },
                                targetValue: d.targetUtilization,
                            },
                        },
                        child,
                    );
                }
            }
            tables[key] = {
                name: table.name,
                arn: table.arn,
                indexNames: spec.gsis.map((g) => g.name),
                ...(spec.stream ? { streamArn: table.streamArn } : {}),
            };
        }
        this.tables = tables;
        this.registerOutputs({ tables: Object.fromEntries(Object.entries(tables).map(([k, t]) => [k, t.arn])) });
    }
}
