/**
 * Cost model: every formula against hand-computed figures (seed 001 where it gives them), the
 * dev stop schedule, not-priced vs free, budgets, regions, components, assumptions.
 * Hand-built resource graphs: no Pulumi runtime needed.
 */
import * as assert from "assert";
import type { RecordedResource, StackRun } from "../tools/offline/types";
import {
    costAssumptionsSchema,
    cronWeeklyInstants,
    diffCostJson,
    formatCostDiff,
    estimateCost,
    formatCostMarkdown,
    formatCostReport,
    formatCostSummaryMarkdown,
    parseCostAssumptions,
    PRICE_TABLE,
    runsPerMonth,
    scheduledTaskHours,
    toCostJson,
} from "../cost";
import type { CostReport } from "../cost";
import { parseArgs } from "../tools/cost";

// ---------------------------------------------------------------------------------------------
// graph builders
// ---------------------------------------------------------------------------------------------

const STACK_URN = "urn:pulumi:test::platform::pulumi:pulumi:Stack::platform-test";

interface ResOpts {
    parent?: string;
    region?: string;
    state?: Record<string, any>;
    custom?: boolean;
    provider?: string;
}

function res(type: string, name: string, inputs: Record<string, any> = {}, o: ResOpts = {}): RecordedResource {
    const custom = o.custom ?? !type.startsWith("platform:");
    return {
        urn: `urn:pulumi:test::platform::${type}::${name}`,
        type,
        name,
        custom,
        inputs,
        state: { ...inputs, id: `${name}-id`, arn: `arn:aws:test:::${name}`, ...(o.state ?? {}) },
        parent: o.parent ?? STACK_URN,
        provider: o.provider,
        region: custom ? (o.region ?? (o.provider ? undefined : "ap-northeast-1")) : undefined,
        propertyDependencies: {},
        options: {
            protect: false,
            retainOnDelete: false,
            deleteBeforeReplace: false,
            ignoreChanges: [],
            aliases: 0,
            dependsOn: [],
            additionalSecretOutputs: [],
            replaceOnChanges: [],
        },
    };
}

function stackRun(resources: RecordedResource[], config: Record<string, unknown> = {}): StackRun {
    const root = res("pulumi:pulumi:Stack", "platform-test", {}, { custom: false });
    root.urn = STACK_URN;
    root.parent = undefined;
    const flat: Record<string, string> = {};
    for (const [k, v] of Object.entries(config)) flat[k] = typeof v === "string" ? v : JSON.stringify(v);
    return { project: "platform", stack: "test", resources: [root, ...resources], outputs: {}, config: flat };
}

/** No stack-level usage lines unless a test asks for them. */
const QUIET = { metrics: { customMetrics: 0 }, xray: { tracesPerMonth: 0 }, logs: { ingestedGb: 0 } };

function estimate(resources: RecordedResource[], override: Record<string, unknown> = {}, config: Record<string, unknown> = {}): CostReport {
    return estimateCost(stackRun(resources, config), { ...QUIET, ...override } as never);
}

function line(report: CostReport, name: string) {
    const l = report.lines.find((x) => x.name === name);
    assert.ok(l, `no cost line ${name}; lines: ${report.lines.map((x) => x.name).join(", ")}`);
    return l;
}

function itemUsd(report: CostReport, name: string, match: RegExp): number {
    const l = line(report, name);
    const i = l.items.find((x) => match.test(x.description));
    assert.ok(i, `no item ${match} on ${name}; items: ${l.items.map((x) => x.description).join(" | ")}`);
    return i.monthlyUsd;
}

const close = (actual: number, expected: number, what: string, tolerance = 0.01) =>
    assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: expected ${expected}, got ${actual}`);

// Fargate service + its task definition, correlated like the mocked graph does (task definition ARN).
function fargate(name: string, o: { cpu: string; memory: string; desired?: number; region?: string; strategies?: any[]; arm?: boolean; parent?: string }) {
    const tdArn = `arn:aws:ecs:${o.region ?? "ap-northeast-1"}:123456789012:task-definition/${name}-family:1`;
    const td = res(
        "aws:ecs/taskDefinition:TaskDefinition",
        `${name}-task`,
        { family: `${name}-family`, cpu: o.cpu, memory: o.memory, requiresCompatibilities: ["FARGATE"], ...(o.arm ? { runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" } } : {}) },
        { region: o.region, state: { arn: tdArn }, parent: o.parent },
    );
    const svc = res(
        "aws:ecs/service:Service",
        name,
        {
            taskDefinition: tdArn,
            ...(o.desired !== undefined ? { desiredCount: o.desired } : {}),
            ...(o.strategies ? { capacityProviderStrategies: o.strategies } : { launchType: "FARGATE" }),
        },
        { region: o.region, state: { name: `${name}-1234567` }, parent: o.parent },
    );
    return [td, svc];
}

// ---------------------------------------------------------------------------------------------
// formulas against hand-computed figures
// ---------------------------------------------------------------------------------------------

describe("cost model: formulas against hand-computed figures", () => {
    interface Case {
        title: string;
        resources: () => RecordedResource[];
        override?: Record<string, unknown>;
        line: string;
        item: RegExp;
        expected: number;
    }
    const cases: Case[] = [
        // Seed 001: 2 vCPU x 2 tasks x 730 h x $0.04048 = $118.2 (the seed's price is us-east-1's)
        { title: "Fargate vCPU, seed figure (us-east-1 price)", resources: () => fargate("api", { cpu: "2048", memory: "4096", desired: 2, region: "us-east-1" }), line: "api", item: /vCPU/, expected: 2 * 2 * 730 * 0.04048 },
        { title: "Fargate memory, seed figure 4 GB x 2 x 730 x 0.004445 = 25.96", resources: () => fargate("api", { cpu: "2048", memory: "4096", desired: 2, region: "us-east-1" }), line: "api", item: /GB x/, expected: 25.9588 },
        { title: "Fargate vCPU in Tokyo ($0.05056)", resources: () => fargate("api", { cpu: "2048", memory: "4096", desired: 2 }), line: "api", item: /vCPU/, expected: 2 * 2 * 730 * 0.05056 },
        { title: "Fargate memory in Tokyo ($0.00553)", resources: () => fargate("api", { cpu: "2048", memory: "4096", desired: 2 }), line: "api", item: /GB x/, expected: 4 * 2 * 730 * 0.00553 },
        { title: "Fargate ARM64 in Tokyo", resources: () => fargate("api", { cpu: "1024", memory: "2048", desired: 1, arm: true }), line: "api", item: /vCPU/, expected: 730 * 0.04045 },
        // Seed 001: NAT 730 x 0.062 x 2 = $90.5, 500 GB x 0.062 = $31 split over the gateways
        { title: "NAT hours per gateway (x2 = $90.5)", resources: () => [res("aws:ec2/natGateway:NatGateway", "nat-a"), res("aws:ec2/natGateway:NatGateway", "nat-c")], line: "nat-a", item: /NAT gateway-hours/, expected: 90.52 / 2 },
        { title: "NAT 500 GB split over 2 gateways", resources: () => [res("aws:ec2/natGateway:NatGateway", "nat-a"), res("aws:ec2/natGateway:NatGateway", "nat-c")], line: "nat-c", item: /GB processed/, expected: 31 / 2 },
        { title: "NAT in us-east-1 ($0.045/h)", resources: () => [res("aws:ec2/natGateway:NatGateway", "nat-a", {}, { region: "us-east-1" })], line: "nat-a", item: /hours/, expected: 730 * 0.045 },
        // Seed 001: ALB 730 x 0.0243 = $17.7, 10 LCU x 730 x 0.008 = $58.4
        { title: "ALB hours", resources: () => [res("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", subnets: ["a", "c"] })], line: "alb", item: /ALB-hours/, expected: 17.739 },
        { title: "ALB LCU", resources: () => [res("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", internal: true })], line: "alb", item: /LCU/, expected: 58.4 },
        { title: "ALB public IPv4 per AZ (internet-facing)", resources: () => [res("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", subnets: ["a", "c"] })], line: "alb", item: /IPv4/, expected: 2 * 730 * 0.005 },
        { title: "NLB NLCU", resources: () => [res("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network", internal: true })], line: "nlb", item: /NLCU/, expected: 730 * 0.006 },
        // Seed 001 Lambda: 1M x 200 ms x 512 MB = 100,000 GB-s x $0.0000166667 = $1.67 (the seed's "$17" is a 10x slip)
        { title: "Lambda GB-seconds", resources: () => [res("aws:lambda/function:Function", "fn", { memorySize: 512 })], line: "fn", item: /GB-s/, expected: 1.66667 },
        { title: "Lambda requests", resources: () => [res("aws:lambda/function:Function", "fn", { memorySize: 512 })], line: "fn", item: /requests/, expected: 0.2 },
        { title: "Lambda per-function override", resources: () => [res("aws:lambda/function:Function", "fn", { memorySize: 1024, architectures: ["arm64"] })], override: { lambda: { perFunction: { fn: { requestsPerMonth: 2_000_000, avgDurationMs: 100 } } } }, line: "fn", item: /GB-s/, expected: 200_000 * 0.0000133334 },
        // Seed 001 Redis: cache.r6g.large x 2 x 730 x $0.246 = $359
        { title: "Redis numCacheClusters", resources: () => [res("aws:elasticache/replicationGroup:ReplicationGroup", "redis", { nodeType: "cache.r6g.large", numCacheClusters: 2, engine: "redis" })], line: "redis", item: /cache.r6g.large/, expected: 359.16 },
        { title: "Redis cluster mode: 2 shards x (1 replica + 1)", resources: () => [res("aws:elasticache/replicationGroup:ReplicationGroup", "redis", { nodeType: "cache.t4g.small", numNodeGroups: 2, replicasPerNodeGroup: 1 })], line: "redis", item: /shard/, expected: 4 * 730 * 0.049 },
        { title: "Valkey is 20% cheaper", resources: () => [res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { nodeType: "cache.r6g.large", numCacheClusters: 2, engine: "valkey" })], line: "cache", item: /valkey/, expected: 359.16 * 0.8 },
        // Aurora Serverless v2, seed 002: min 0.5, max 2; expected 1 ACU in Tokyo at $0.20
        {
            title: "Aurora Serverless v2 at expected ACU",
            resources: () => [
                res("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql", clusterIdentifier: "db-prod", serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 2 } }),
                res("aws:rds/clusterInstance:ClusterInstance", "db-1", { instanceClass: "db.serverless", clusterIdentifier: "db-prod", engine: "aurora-postgresql" }),
            ],
            line: "db-1",
            item: /ACU expected/,
            expected: 1 * 730 * 0.2,
        },
        {
            title: "Aurora Serverless v2 expected ACU clamped to max",
            resources: () => [
                res("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql", serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 2 } }, { state: { id: "db-abc" } }),
                res("aws:rds/clusterInstance:ClusterInstance", "db-1", { instanceClass: "db.serverless", clusterIdentifier: "db-abc", engine: "aurora-postgresql" }),
            ],
            override: { aurora: { expectedAcu: 8 } },
            line: "db-1",
            item: /ACU expected/,
            expected: 2 * 730 * 0.2,
        },
        { title: "Aurora provisioned db.r6g.large us-east-1", resources: () => [res("aws:rds/clusterInstance:ClusterInstance", "db-1", { instanceClass: "db.r6g.large", engine: "aurora-postgresql" }, { region: "us-east-1" })], line: "db-1", item: /db.r6g.large/, expected: 730 * 0.26 },
        { title: "Aurora storage 100 GB (Tokyo $0.12)", resources: () => [res("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql" })], line: "db", item: /cluster volume/, expected: 12 },
        { title: "Aurora storage 100 GB, seed figure $10 (us-east-1)", resources: () => [res("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql" }, { region: "us-east-1" })], line: "db", item: /cluster volume/, expected: 10 },
        { title: "Aurora backup within 100% of volume is free", resources: () => [res("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql" })], line: "db", item: /backup/, expected: 0 },
        { title: "Aurora backup beyond the free allowance", resources: () => [res("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql" })], override: { aurora: { backupStorageGb: 300 } }, line: "db", item: /backup/, expected: 200 * 0.023 },
        // DynamoDB
        { title: "DynamoDB on-demand reads", resources: () => [res("aws:dynamodb/table:Table", "docs", { billingMode: "PAY_PER_REQUEST" })], line: "docs", item: /read request/, expected: 10 * 0.1425 },
        { title: "DynamoDB on-demand writes", resources: () => [res("aws:dynamodb/table:Table", "docs", { billingMode: "PAY_PER_REQUEST" })], line: "docs", item: /write request/, expected: 1 * 0.715 },
        { title: "DynamoDB provisioned RCU incl. GSI", resources: () => [res("aws:dynamodb/table:Table", "t", { billingMode: "PROVISIONED", readCapacity: 5, writeCapacity: 5, globalSecondaryIndexes: [{ name: "gsi", readCapacity: 5, writeCapacity: 1 }] })], line: "t", item: /RCU/, expected: 10 * 730 * 0.0001484 },
        {
            title: "DynamoDB provisioned uses the autoscaling minimum",
            resources: () => [
                res("aws:dynamodb/table:Table", "t", { name: "orders", billingMode: "PROVISIONED", readCapacity: 5, writeCapacity: 5 }),
                res("aws:appautoscaling/target:Target", "t-read", { resourceId: "table/orders", scalableDimension: "dynamodb:table:ReadCapacityUnits", serviceNamespace: "dynamodb", minCapacity: 20, maxCapacity: 100 }),
            ],
            line: "t",
            item: /RCU/,
            expected: 20 * 730 * 0.0001484,
        },
        // Seed 001 S3: 100 GB x 0.025 + 1M PUT x 0.0047/1k + 10M GET x 0.00037/1k = $10.9
        { title: "S3 Standard 100 GB", resources: () => [res("aws:s3/bucket:Bucket", "assets")], line: "assets", item: /Standard/, expected: 2.5 },
        { title: "S3 PUT requests", resources: () => [res("aws:s3/bucket:Bucket", "assets")], line: "assets", item: /PUT/, expected: 4.7 },
        { title: "S3 GET requests", resources: () => [res("aws:s3/bucket:Bucket", "assets")], line: "assets", item: /GET/, expected: 3.7 },
        { title: "S3 cold share in Glacier", resources: () => [res("aws:s3/bucket:Bucket", "assets")], override: { s3: { standardShare: 0.25 } }, line: "assets", item: /GLACIER/, expected: 75 * 0.0045 },
        { title: "S3 per-bucket storage override", resources: () => [res("aws:s3/bucket:Bucket", "assets"), res("aws:s3/bucket:Bucket", "logs")], override: { s3: { perBucket: { logs: { storageGb: 80 } } } }, line: "assets", item: /Standard/, expected: 20 * 0.025 },
        {
            title: "S3 replica holds its source's GB at the rule's class, in its own region",
            resources: () => [
                res("aws:s3/bucket:Bucket", "docs", { bucket: "docs-123" }),
                res("aws:s3/bucket:Bucket", "logs", { bucket: "logs-123" }),
                res("aws:s3/bucket:Bucket", "docs-dr", { bucket: "docs-123-dr" }, { region: "us-west-2" }),
                res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "docs-repl", {
                    bucket: "docs-123",
                    rules: [{ id: "dr", status: "Enabled", destination: { bucket: "arn:aws:s3:::docs-123-dr", storageClass: "STANDARD_IA" } }],
                }),
            ],
            line: "docs-dr",
            item: /STANDARD_IA \(replica\)/,
            expected: 50 * 0.0125,
        },
        {
            title: "S3 sources share the total; replicas do not take a share",
            resources: () => [
                res("aws:s3/bucket:Bucket", "docs", { bucket: "docs-123" }),
                res("aws:s3/bucket:Bucket", "logs", { bucket: "logs-123" }),
                res("aws:s3/bucket:Bucket", "docs-dr", { bucket: "docs-123-dr" }, { region: "us-west-2" }),
                res("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "docs-repl", { bucket: "docs-123", rules: [{ status: "Enabled", destination: { bucket: "arn:aws:s3:::docs-123-dr" } }] }),
            ],
            line: "logs",
            item: /Standard/,
            expected: 50 * 0.025,
        },
        // Seed 001 CloudFront: 500 GB x $0.114 = $57
        { title: "CloudFront GB out", resources: () => [res("aws:cloudfront/distribution:Distribution", "cdn", {}, { region: "us-east-1" })], line: "cdn", item: /GB out/, expected: 57 },
        { title: "CloudFront requests", resources: () => [res("aws:cloudfront/distribution:Distribution", "cdn")], line: "cdn", item: /HTTPS requests/, expected: 1000 * 0.012 },
        // Seed 001 CloudWatch: Logs 10 GB x $0.76 = $7.6
        { title: "Log ingestion", resources: () => [res("aws:cloudwatch/logGroup:LogGroup", "app", { retentionInDays: 30 })], override: { logs: { ingestedGb: 10 } }, line: "app", item: /ingested/, expected: 7.6 },
        { title: "Log storage with 90-day retention", resources: () => [res("aws:cloudwatch/logGroup:LogGroup", "app", { retentionInDays: 90 })], override: { logs: { ingestedGb: 10 } }, line: "app", item: /stored/, expected: 10 * (90 / (365 / 12)) * 0.033 },
        { title: "Log storage never expiring", resources: () => [res("aws:cloudwatch/logGroup:LogGroup", "app", {})], override: { logs: { ingestedGb: 10 } }, line: "app", item: /never expires/, expected: 10 * 12 * 0.033 },
        { title: "Standard alarm $0.10", resources: () => [res("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", { period: 60, metricName: "CPUUtilization" })], line: "cpu", item: /standard/, expected: 0.1 },
        { title: "High-resolution alarm $0.30", resources: () => [res("aws:cloudwatch/metricAlarm:MetricAlarm", "fast", { period: 10 })], line: "fast", item: /high-resolution/, expected: 0.3 },
        {
            title: "Metric-math alarm counts each metric",
            resources: () => [
                res("aws:cloudwatch/metricAlarm:MetricAlarm", "err-rate", {
                    metricQueries: [
                        { id: "e", metric: { metricName: "5xx", namespace: "AWS/ApplicationELB", period: 60, stat: "Sum" } },
                        { id: "r", metric: { metricName: "RequestCount", namespace: "AWS/ApplicationELB", period: 60, stat: "Sum" } },
                        { id: "rate", expression: "e / r * 100", returnData: true },
                    ],
                }),
            ],
            line: "err-rate",
            item: /2 metric/,
            expected: 0.2,
        },
        {
            title: "Anomaly-detection alarm counts 3 metrics",
            resources: () => [
                res("aws:cloudwatch/metricAlarm:MetricAlarm", "anom", {
                    thresholdMetricId: "ad",
                    metricQueries: [{ id: "m", metric: { metricName: "Latency", namespace: "x", period: 300, stat: "p99" } }, { id: "ad", expression: "ANOMALY_DETECTION_BAND(m, 2)" }],
                }),
            ],
            line: "anom",
            item: /anomaly/,
            expected: 0.3,
        },
        // Seed 001: Secrets 5 x $0.40 = $2, 1M calls x $0.05/10k = $5; KMS 2 x $1 + 1M x $0.03/10k = $3
        { title: "Secret monthly fee", resources: () => [res("aws:secretsmanager/secret:Secret", "db-secret")], line: "db-secret", item: /^secret$/, expected: 0.4 },
        { title: "Secrets API calls (1M over 5 secrets)", resources: () => [1, 2, 3, 4, 5].map((i) => res("aws:secretsmanager/secret:Secret", `s${i}`)), line: "s3", item: /API calls/, expected: 1 },
        { title: "KMS key fee", resources: () => [res("aws:kms/key:Key", "k1"), res("aws:kms/key:Key", "k2")], line: "k1", item: /customer managed key/, expected: 1 },
        { title: "KMS API requests (1M over 2 keys)", resources: () => [res("aws:kms/key:Key", "k1"), res("aws:kms/key:Key", "k2")], line: "k2", item: /API requests/, expected: 1.5 },
        // WAF: $5 web ACL + $1 per rule (managed groups count as rules) + $0.60/M requests
        {
            title: "WAF rules incl. managed rule groups",
            resources: () => [
                res("aws:wafv2/webAcl:WebAcl", "waf", {
                    scope: "CLOUDFRONT",
                    rules: [
                        { name: "common", statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS" } } },
                        { name: "bad-inputs", statement: { managedRuleGroupStatement: { name: "AWSManagedRulesKnownBadInputsRuleSet", vendorName: "AWS" } } },
                        { name: "rate", statement: { rateBasedStatement: { limit: 2000 } } },
                    ],
                }, { region: "us-east-1" }),
            ],
            line: "waf",
            item: /rule\(s\)/,
            expected: 3,
        },
        { title: "WAF web ACL fee", resources: () => [res("aws:wafv2/webAcl:WebAcl", "waf", { rules: [] })], line: "waf", item: /web ACL/, expected: 5 },
        { title: "WAF requests", resources: () => [res("aws:wafv2/webAcl:WebAcl", "waf", { rules: [] })], line: "waf", item: /requests/, expected: 6 },
        // VPC endpoints
        { title: "Interface endpoint per AZ-hour (Tokyo)", resources: () => [res("aws:ec2/vpcEndpoint:VpcEndpoint", "ecr-api", { vpcEndpointType: "Interface", subnetIds: ["a", "c"] })], line: "ecr-api", item: /AZ x/, expected: 2 * 730 * 0.014 },
        // Route 53
        { title: "Hosted zone", resources: () => [res("aws:route53/zone:Zone", "zone")], line: "zone", item: /hosted zone/, expected: 0.5 },
        { title: "HTTPS health check = basic + 1 feature", resources: () => [res("aws:route53/healthCheck:HealthCheck", "hc", { type: "HTTPS", fqdn: "api.example.com" })], line: "hc", item: /optional feature/, expected: 1 },
        // Backup, EFS, ECR, SQS, SNS, Step Functions, API Gateway, Cognito, CloudTrail, EIP
        { title: "Backup warm storage 100 GB", resources: () => [res("aws:backup/plan:Plan", "plan", { rules: [] })], line: "plan", item: /warm/, expected: 5 },
        {
            title: "Backup copy to us-west-2 priced there",
            resources: () => [res("aws:backup/plan:Plan", "plan", { rules: [{ ruleName: "daily", copyActions: [{ destinationVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:dr" }] }] })],
            line: "plan",
            item: /copied to us-west-2/,
            expected: 5,
        },
        { title: "EFS Standard (Tokyo $0.36)", resources: () => [res("aws:efs/fileSystem:FileSystem", "fs")], line: "fs", item: /GB Standard/, expected: 3.6 },
        { title: "ECR storage", resources: () => [res("aws:ecr/repository:Repository", "repo")], line: "repo", item: /images/, expected: 0.5 },
        { title: "SQS FIFO", resources: () => [res("aws:sqs/queue:Queue", "q.fifo", { fifoQueue: true })], line: "q.fifo", item: /FIFO/, expected: 0.5 },
        { title: "SNS publishes", resources: () => [res("aws:sns/topic:Topic", "alerts")], override: { sns: { publishesPerTopic: 2_000_000 } }, line: "alerts", item: /publishes/, expected: 1 },
        { title: "Step Functions Standard transitions", resources: () => [res("aws:sfn/stateMachine:StateMachine", "sm")], override: { stepFunctions: { transitionsPerStateMachine: 1_000_000 } }, line: "sm", item: /transitions/, expected: 25 },
        { title: "REST API requests (Tokyo $4.25/M)", resources: () => [res("aws:apigateway/restApi:RestApi", "api")], line: "api", item: /REST/, expected: 4.25 },
        { title: "HTTP API requests (Tokyo $1.29/M)", resources: () => [res("aws:apigatewayv2/api:Api", "http", { protocolType: "HTTP" })], line: "http", item: /HTTP API/, expected: 1.29 },
        { title: "Cognito Essentials: first 10,000 MAU free", resources: () => [res("aws:cognito/userPool:UserPool", "users")], override: { cognito: { monthlyActiveUsers: 9_000 } }, line: "users", item: /MAU/, expected: 0 },
        { title: "Cognito Essentials beyond 10,000 MAU", resources: () => [res("aws:cognito/userPool:UserPool", "users")], override: { cognito: { monthlyActiveUsers: 20_000 } }, line: "users", item: /MAU/, expected: 10_000 * 0.015 },
        { title: "Cognito Plus has no free tier", resources: () => [res("aws:cognito/userPool:UserPool", "users", { userPoolTier: "PLUS" })], override: { cognito: { monthlyActiveUsers: 1_000 } }, line: "users", item: /Plus/, expected: 20 },
        {
            title: "CloudTrail data events (seed: 1M x $0.10/100k = $1)",
            resources: () => [res("aws:cloudtrail/trail:Trail", "trail", { eventSelectors: [{ includeManagementEvents: true, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] }] })],
            line: "trail",
            item: /data events/,
            expected: 1,
        },
        {
            title: "CloudTrail second management trail pays $2/100k",
            resources: () => [res("aws:cloudtrail/trail:Trail", "trail-1"), res("aws:cloudtrail/trail:Trail", "trail-2")],
            line: "trail-2",
            item: /management events/,
            expected: 10 * 2,
        },
        { title: "Elastic IP public IPv4", resources: () => [res("aws:ec2/eip:Eip", "eip")], line: "eip", item: /IPv4/, expected: 3.65 },
    ];
    for (const c of cases) {
        it(c.title, () => {
            const report = estimate(c.resources(), c.override);
            close(itemUsd(report, c.line, c.item), c.expected, c.title);
        });
    }

    it("first management trail is free (no items)", () => {
        const report = estimate([res("aws:cloudtrail/trail:Trail", "trail", { isMultiRegionTrail: true })]);
        assert.strictEqual(line(report, "trail").monthlyUsd, 0);
        assert.ok(line(report, "trail").notes.some((n) => /free/.test(n)));
    });

    it("dashboards: the first 3 are free, the 4th costs $3", () => {
        const report = estimate([1, 2, 3, 4].map((i) => res("aws:cloudwatch/dashboard:Dashboard", `d${i}`)));
        assert.deepStrictEqual(
            ["d1", "d2", "d3", "d4"].map((n) => line(report, n).monthlyUsd),
            [0, 0, 0, 3],
        );
    });

    it("Aurora Serverless v2 reports the cost at min capacity beside the expected one", () => {
        const report = estimate([
            res("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql", clusterIdentifier: "db-prod", serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 2 } }),
            res("aws:rds/clusterInstance:ClusterInstance", "db-1", { instanceClass: "db.serverless", clusterIdentifier: "db-prod", engine: "aurora-postgresql" }),
            res("aws:rds/clusterInstance:ClusterInstance", "db-2", { instanceClass: "db.serverless", clusterIdentifier: "db-prod", engine: "aurora-postgresql" }),
        ]);
        close(line(report, "db-1").atMinimumUsd, 0.5 * 730 * 0.2, "at min");
        close(report.totalMonthlyUsd - report.totalAtMinimumUsd, 2 * 0.5 * 730 * 0.2, "expected - min for two instances");
    });

    it("Aurora I/O-Optimized uses the I/O-Optimized ACU price and no I/O charge", () => {
        const report = estimate([
            res("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql", storageType: "aurora-iopt1", clusterIdentifier: "c", serverlessv2ScalingConfiguration: { minCapacity: 1, maxCapacity: 4 } }),
            res("aws:rds/clusterInstance:ClusterInstance", "db-1", { instanceClass: "db.serverless", clusterIdentifier: "c" }),
        ]);
        close(itemUsd(report, "db-1", /ACU/), 730 * 0.26, "iopt ACU");
        assert.ok(!line(report, "db").items.some((i) => /I\/O requests/.test(i.description)));
    });

    it("Fargate Spot: base tasks on FARGATE, the rest split by weight", () => {
        const report = estimate(
            fargate("worker", {
                cpu: "1024",
                memory: "2048",
                desired: 5,
                strategies: [
                    { capacityProvider: "FARGATE", base: 1, weight: 1 },
                    { capacityProvider: "FARGATE_SPOT", weight: 3 },
                ],
            }),
        );
        // 5 tasks: 1 base on-demand, 4 split 1:3 -> 2 on-demand, 3 Spot
        close(itemUsd(report, "worker", /^1 vCPU x 1460 task-hours/), 2 * 730 * 0.05056, "on-demand vCPU");
        close(itemUsd(report, "worker", /Spot task-hours/), 3 * 730 * 0.015168, "Spot vCPU");
    });

    it("a service without its own strategy uses the cluster's default capacity provider strategy", () => {
        const [td, svc] = fargate("worker", { cpu: "1024", memory: "2048", desired: 4 });
        delete svc.inputs.launchType;
        delete svc.state.launchType;
        svc.inputs.cluster = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/dev-cluster-abc";
        const ccp = res("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "ccp", {
            clusterName: "dev-cluster-abc",
            capacityProviders: ["FARGATE", "FARGATE_SPOT"],
            defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        });
        const report = estimate([td, svc, ccp]);
        close(itemUsd(report, "worker", /Spot task-hours/), 4 * 730 * 0.015168, "all Spot");
        assert.deepStrictEqual(line(report, "worker").items.filter((i) => !/Spot/.test(i.description) && i.monthlyUsd > 0), []);
    });

    it("correlates through propertyDependencies when ids do not match (values unknown at preview)", () => {
        const [td, svc] = fargate("api", { cpu: "1024", memory: "2048", desired: 2 });
        svc.inputs.taskDefinition = svc.state.taskDefinition = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // Pulumi's unknown sentinel
        svc.propertyDependencies = { taskDefinition: [td.urn] };
        const unknownId = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const target = res("aws:appautoscaling/target:Target", "api-target", { resourceId: unknownId, minCapacity: 2, maxCapacity: 4 });
        target.propertyDependencies = { resourceId: [svc.urn] };
        const actions = [
            res("aws:appautoscaling/scheduledAction:ScheduledAction", "api-stop", { resourceId: unknownId, schedule: "cron(0 19 ? * MON-FRI *)", scalableTargetAction: { minCapacity: 0, maxCapacity: 0 } }),
            res("aws:appautoscaling/scheduledAction:ScheduledAction", "api-start", { resourceId: unknownId, schedule: "cron(0 9 ? * MON-FRI *)", scalableTargetAction: { minCapacity: 2, maxCapacity: 4 } }),
        ];
        for (const a of actions) a.propertyDependencies = { resourceId: [target.urn] };
        const cluster = res("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql", serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 4 } });
        const instance = res("aws:rds/clusterInstance:ClusterInstance", "db-1", { instanceClass: "db.serverless", clusterIdentifier: unknownId });
        instance.propertyDependencies = { clusterIdentifier: [cluster.urn] };
        const report = estimate([td, svc, target, ...actions, cluster, instance], { aurora: { expectedAcu: 2 } });
        close(itemUsd(report, "api", /vCPU/), 2 * ((50 * 730) / 168) * 0.05056, "scheduled service via dependencies");
        close(itemUsd(report, "db-1", /ACU expected/), 2 * 730 * 0.2, "serverless instance via dependencies");
    });

    it("task definition correlated by family when the service references family:revision", () => {
        const [td, svc] = fargate("api", { cpu: "512", memory: "1024", desired: 1 });
        svc.inputs.taskDefinition = "api-family:7";
        const report = estimate([td, svc]);
        close(itemUsd(report, "api", /vCPU/), 0.5 * 730 * 0.05056, "vCPU");
    });

    it("ECS service on EC2 capacity is zero on the service (the instances carry the cost)", () => {
        const [td, svc] = fargate("api", { cpu: "512", memory: "1024", desired: 1 });
        svc.inputs.launchType = "EC2";
        assert.strictEqual(line(estimate([td, svc]), "api").monthlyUsd, 0);
    });
});

// ---------------------------------------------------------------------------------------------
// dev stop schedule
// ---------------------------------------------------------------------------------------------

describe("cost model: scheduled scaling (dev stop 19:00 / start 09:00 on weekdays)", () => {
    const STOP = { schedule: "cron(0 19 ? * MON-FRI *)", timezone: "Asia/Tokyo", minCapacity: 0, maxCapacity: 0 };
    const START = { schedule: "cron(0 9 ? * MON-FRI *)", timezone: "Asia/Tokyo", minCapacity: 1, maxCapacity: 2 };
    const WEEKDAY_HOURS = (50 * 730) / 168; // 10 h x 5 days a week = 10 h x 21.7 weekdays a month

    const cases: { title: string; baseline: number; actions: any[]; initial?: any; taskHours: number }[] = [
        { title: "no schedule: 730 h", baseline: 1, actions: [], taskHours: 730 },
        { title: "stop 19:00 / start 09:00 MON-FRI: 10 h x 21.7 days", baseline: 1, actions: [STOP, START], taskHours: WEEKDAY_HOURS },
        { title: "order of actions does not matter", baseline: 1, actions: [START, STOP], taskHours: WEEKDAY_HOURS },
        { title: "numeric day-of-week 2-6 = MON-FRI", baseline: 1, actions: [{ ...STOP, schedule: "cron(0 19 ? * 2-6 *)" }, { ...START, schedule: "cron(0 9 ? * 2-6 *)" }], taskHours: WEEKDAY_HOURS },
        { title: "2 tasks while running", baseline: 2, actions: [STOP, START], taskHours: 2 * WEEKDAY_HOURS },
        { title: "start action's min lifts the baseline", baseline: 1, actions: [STOP, { ...START, minCapacity: 3, maxCapacity: 4 }], taskHours: 3 * WEEKDAY_HOURS },
        {
            title: "stop in UTC (10:00 UTC = 19:00 JST), start in Asia/Tokyo",
            baseline: 1,
            actions: [{ ...STOP, schedule: "cron(0 10 ? * MON-FRI *)", timezone: "UTC" }, START],
            taskHours: WEEKDAY_HOURS,
        },
        { title: "stop 20:00 / start 08:00: 12 h x 5", baseline: 1, actions: [{ ...STOP, schedule: "cron(0 20 ? * MON-FRI *)" }, { ...START, schedule: "cron(0 8 ? * MON-FRI *)" }], taskHours: (60 * 730) / 168 },
        { title: "a one-off at() schedule is ignored", baseline: 1, actions: [{ ...STOP, schedule: "at(2026-12-24T19:00:00)" }], taskHours: 730 },
    ];
    for (const c of cases) {
        it(c.title, () => close(scheduledTaskHours(c.baseline, c.actions, 730, c.initial).taskHours, c.taskHours, c.title));
    }

    it("cron expansion: MON-FRI at 19:00 fires 5 times a week", () => {
        const instants = cronWeeklyInstants("cron(0 19 ? * MON-FRI *)");
        assert.deepStrictEqual(instants, [1, 2, 3, 4, 5].map((d) => d * 1440 + 19 * 60));
    });

    it("cron expansion rejects monthly patterns with a reason", () => {
        const r = cronWeeklyInstants("cron(0 9 1 * ? *)");
        assert.strictEqual(typeof r, "string");
        assert.match(r as string, /day-of-month/);
    });

    it("the dev service in a graph runs ~217 h instead of 730 h (and the saving shows)", () => {
        const graph = (withSchedule: boolean) => {
            const [td, svc] = fargate("web", { cpu: "512", memory: "1024", desired: 1 });
            const resourceId = "service/dev-cluster-abc1234/web-1234567";
            const extra = withSchedule
                ? [
                      res("aws:appautoscaling/target:Target", "web-target", { resourceId, scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs", minCapacity: 1, maxCapacity: 2 }),
                      res("aws:appautoscaling/scheduledAction:ScheduledAction", "web-stop", { resourceId, scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs", ...STOP, scalableTargetAction: { minCapacity: 0, maxCapacity: 0 } }),
                      res("aws:appautoscaling/scheduledAction:ScheduledAction", "web-start", { resourceId, scalableDimension: "ecs:service:DesiredCount", serviceNamespace: "ecs", ...START, scalableTargetAction: { minCapacity: 1, maxCapacity: 2 } }),
                  ]
                : [];
            return estimate([td, svc, ...extra]);
        };
        const always = line(graph(false), "web");
        const stopped = line(graph(true), "web");
        close(always.monthlyUsd, 730 * (0.5 * 0.05056 + 1 * 0.00553), "always on");
        close(stopped.monthlyUsd, WEEKDAY_HOURS * (0.5 * 0.05056 + 1 * 0.00553), "weekday hours only");
        assert.ok(stopped.notes.some((n) => /217\.26 running h\/month instead of 730/.test(n)), stopped.notes.join(" | "));
    });
});

describe("cost model: scheduled ECS tasks (jobs)", () => {
    const runsCases: { expr: string; runs: number | RegExp }[] = [
        { expr: "cron(0 3 * * ? *)", runs: 730 / 24 },
        { expr: "cron(30 4 ? * MON-FRI *)", runs: (5 * 730) / 24 / 7 },
        { expr: "cron(0 */6 * * ? *)", runs: (4 * 730) / 24 },
        { expr: "cron(0 9 1 * ? *)", runs: 1 },
        { expr: "cron(0 9 1,15 * ? *)", runs: 2 },
        { expr: "cron(0 9 1 JAN,JUL ? *)", runs: 2 / 12 },
        { expr: "cron(0 9 ? * 6L *)", runs: 1 },
        { expr: "rate(5 minutes)", runs: (730 * 60) / 5 },
        { expr: "rate(1 hour)", runs: 730 },
        { expr: "rate(2 days)", runs: 730 / 48 },
        { expr: "at(2026-12-24T19:00:00)", runs: 0 },
        { expr: "every day", runs: /not a schedule expression/ },
    ];
    for (const c of runsCases) {
        it(`runs per month of ${c.expr}`, () => {
            const runs = runsPerMonth(c.expr, 730);
            if (c.runs instanceof RegExp) assert.match(String(runs), c.runs);
            else close(runs as number, c.runs, c.expr, 1e-9);
        });
    }

    const job = (schedule: string, spot = false) => {
        const td = res("aws:ecs/taskDefinition:TaskDefinition", "job-daily-task", { family: "daily", cpu: "1024", memory: "2048" }, { state: { arn: "arn:aws:ecs:ap-northeast-1:1:task-definition/daily:3" } });
        const sched = res("aws:scheduler/schedule:Schedule", "job-daily-schedule", {
            scheduleExpression: schedule,
            scheduleExpressionTimezone: "Asia/Tokyo",
            target: {
                arn: "arn:aws:ecs:ap-northeast-1:1:cluster/c",
                ecsParameters: { taskDefinitionArn: "arn:aws:ecs:ap-northeast-1:1:task-definition/daily:3", launchType: spot ? undefined : "FARGATE", ...(spot ? { capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }] } : {}) },
            },
        });
        return [td, sched];
    };

    it("a daily Scheduler job: 30.4 runs x 10 min of 1 vCPU / 2 GB", () => {
        const report = estimate(job("cron(0 3 * * ? *)"));
        const hours = ((730 / 24) * 10) / 60;
        close(itemUsd(report, "job-daily-schedule", /vCPU/), hours * 0.05056, "vCPU");
        close(itemUsd(report, "job-daily-schedule", /GB x/), 2 * hours * 0.00553, "GB");
    });

    it("run length comes from the assumptions, Spot from the target's strategy", () => {
        const report = estimate(job("cron(0 3 * * ? *)", true), { fargate: { scheduledTaskMinutes: 60 } });
        close(itemUsd(report, "job-daily-schedule", /vCPU/), (730 / 24) * 0.015168, "Spot vCPU, 1 h runs");
    });

    it("a schedule whose job task definition is missing is not priced (never silently zero)", () => {
        const [, sched] = job("cron(0 3 * * ? *)");
        const report = estimate([sched]);
        assert.match(report.notPriced[0]?.reason ?? "", /task definition .* not found/);
    });

    it("a Scheduler schedule invoking a Lambda costs nothing itself", () => {
        const report = estimate([res("aws:scheduler/schedule:Schedule", "tick", { scheduleExpression: "rate(1 minute)", target: { arn: "arn:aws:lambda:ap-northeast-1:1:function:f" } })]);
        assert.strictEqual(line(report, "tick").monthlyUsd, 0);
    });

    it("an EventBridge rule's ECS target is priced from the rule's schedule", () => {
        const td = res("aws:ecs/taskDefinition:TaskDefinition", "nightly-task", { family: "nightly", cpu: "512", memory: "1024" }, { state: { arn: "arn:aws:ecs:ap-northeast-1:1:task-definition/nightly:1" } });
        const rule = res("aws:cloudwatch/eventRule:EventRule", "nightly", { name: "nightly-rule", scheduleExpression: "rate(1 day)" });
        const target = res("aws:cloudwatch/eventTarget:EventTarget", "nightly-target", { rule: "nightly-rule", arn: "cluster", ecsTarget: { taskDefinitionArn: "arn:aws:ecs:ap-northeast-1:1:task-definition/nightly:1", taskCount: 2, launchType: "FARGATE" } });
        const report = estimate([td, rule, target]);
        close(itemUsd(report, "nightly-target", /vCPU/), ((730 / 24) * 2 * 10) / 60 * 0.5 * 0.05056, "vCPU");
    });
});

// ---------------------------------------------------------------------------------------------
// not priced, free, regions, components, budgets
// ---------------------------------------------------------------------------------------------

describe("cost model: nothing is silently zero", () => {
    it("an unknown resource type is listed as not priced and not added to the total", () => {
        const report = estimate([res("aws:ec2/instance:Instance", "bastion", { instanceType: "t3.micro" }), res("aws:ec2/natGateway:NatGateway", "nat")]);
        assert.deepStrictEqual(report.notPriced.map((n) => [n.type, n.name]), [["aws:ec2/instance:Instance", "bastion"]]);
        assert.match(report.notPriced[0].reason, /no formula/);
        close(report.totalMonthlyUsd, 730 * 0.062 + 500 * 0.062, "total = the NAT only");
    });

    const unpricedCases: { title: string; resources: RecordedResource[]; reason: RegExp }[] = [
        { title: "unknown ElastiCache node type", resources: [res("aws:elasticache/replicationGroup:ReplicationGroup", "r", { nodeType: "cache.x2gd.large", numCacheClusters: 2 })], reason: /no price for ElastiCache node type cache.x2gd.large/ },
        { title: "unknown Aurora instance class", resources: [res("aws:rds/clusterInstance:ClusterInstance", "i", { instanceClass: "db.x2g.large", engine: "aurora-postgresql" })], reason: /no price for Aurora instance class db.x2g.large/ },
        { title: "serverless instance without its cluster", resources: [res("aws:rds/clusterInstance:ClusterInstance", "i", { instanceClass: "db.serverless", clusterIdentifier: "missing" })], reason: /serverlessv2ScalingConfiguration/ },
        { title: "ECS service without its task definition", resources: [res("aws:ecs/service:Service", "svc", { taskDefinition: "arn:aws:ecs:ap-northeast-1:1:task-definition/gone:1", desiredCount: 1 })], reason: /task definition .* not found/ },
        { title: "region without a price table", resources: [res("aws:ec2/natGateway:NatGateway", "nat", {}, { region: "eu-west-1" })], reason: /no price table for region eu-west-1/ },
        { title: "a non-AWS resource type", resources: [res("pulumiservice:index:Webhook", "hook")], reason: /no formula/ },
    ];
    for (const c of unpricedCases) {
        it(`not priced: ${c.title}`, () => {
            const report = estimate(c.resources);
            assert.strictEqual(report.notPriced.length, 1, JSON.stringify(report.notPriced));
            assert.match(report.notPriced[0].reason, c.reason);
            assert.strictEqual(report.totalMonthlyUsd, 0);
        });
    }

    it("free types contribute zero and are counted on the free list", () => {
        const report = estimate(
            [
                res("aws:iam/role:Role", "role"),
                res("aws:ec2/securityGroup:SecurityGroup", "sg"),
                res("aws:ec2/securityGroup:SecurityGroup", "sg2"),
                res("aws:ec2/subnet:Subnet", "subnet"),
                res("aws:ec2/routeTable:RouteTable", "rt"),
                res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3-gw", { vpcEndpointType: "Gateway" }),
                res("pulumi:providers:aws", "main", { region: "ap-northeast-1" }),
                res("platform:network:Network", "network"),
            ],
            { metrics: { customMetrics: 100 }, logs: { ingestedGb: 10 }, xray: { tracesPerMonth: 1e6 } },
        );
        assert.strictEqual(report.totalMonthlyUsd, 0);
        assert.deepStrictEqual(report.notPriced, []);
        assert.deepStrictEqual(
            Object.fromEntries(report.free.map((f) => [f.type, f.count])),
            { "aws:ec2/routeTable:RouteTable": 1, "aws:ec2/securityGroup:SecurityGroup": 2, "aws:ec2/subnet:Subnet": 1, "aws:iam/role:Role": 1, "pulumi:providers:aws": 1 },
        );
    });
});

describe("cost model: regions, components, usage lines", () => {
    it("region comes from the resource, then its provider, then aws:region", () => {
        const provider = res("pulumi:providers:aws", "dr", { region: "us-west-2" });
        const viaProvider = res("aws:ec2/natGateway:NatGateway", "nat-dr", {}, { provider: provider.urn });
        viaProvider.region = undefined;
        const fromConfig = res("aws:ec2/natGateway:NatGateway", "nat-cfg");
        fromConfig.region = undefined;
        const report = estimateCost(stackRun([provider, viaProvider, fromConfig, res("aws:ec2/natGateway:NatGateway", "nat-use1", {}, { region: "us-east-1" })], { "aws:region": "ap-northeast-1" }), QUIET);
        assert.strictEqual(line(report, "nat-dr").region, "us-west-2");
        close(itemUsd(report, "nat-dr", /hours/), 730 * 0.045, "us-west-2 NAT");
        assert.strictEqual(line(report, "nat-cfg").region, "ap-northeast-1");
        close(itemUsd(report, "nat-cfg", /hours/), 730 * 0.062, "Tokyo NAT");
        close(itemUsd(report, "nat-use1", /hours/), 730 * 0.045, "us-east-1 NAT");
    });

    it("cost is attributed to the top-level platform component through the parent chain", () => {
        const compute = res("platform:compute:Compute", "compute");
        const svc = res("platform:compute:WebService", "api", {}, { parent: compute.urn });
        const [td, service] = fargate("api-svc", { cpu: "256", memory: "512", desired: 1, parent: svc.urn });
        const network = res("platform:network:Network", "network");
        const nat = res("aws:ec2/natGateway:NatGateway", "nat", {}, { parent: network.urn });
        const loose = res("aws:kms/key:Key", "loose");
        const report = estimate([compute, svc, td, service, network, nat, loose]);
        const byComponent = Object.fromEntries(report.byComponent.map((g) => [g.key, g.resources]));
        assert.deepStrictEqual(byComponent, { "compute (platform:compute:Compute)": 1, "network (platform:network:Network)": 1, "(no component)": 1 });
        const sum = report.byComponent.reduce((t, g) => t + g.monthlyUsd, 0);
        close(sum, report.totalMonthlyUsd, "components add up to the total");
        const byType = report.byType.reduce((t, g) => t + g.monthlyUsd, 0);
        close(byType, report.totalMonthlyUsd, "types add up to the total");
    });

    it("stack usage lines: custom metrics (seed: 100 x $0.30 = $30) and X-Ray (seed: 1M x $5/M) when something emits them", () => {
        const fn = res("aws:lambda/function:Function", "fn", { memorySize: 512, tracingConfig: { mode: "Active" } });
        const report = estimateCost(stackRun([fn]), { metrics: { customMetrics: 100 }, logs: { ingestedGb: 10 } });
        close(line(report, "custom metrics").monthlyUsd, 30, "custom metrics");
        close(line(report, "X-Ray traces").monthlyUsd, 5, "X-Ray");
        close(line(report, "log ingestion (no log group in the graph)").monthlyUsd, 7.6, "stack-level log ingestion");
    });

    it("no X-Ray line when nothing traces", () => {
        const report = estimateCost(stackRun([res("aws:lambda/function:Function", "fn", { memorySize: 512 })]));
        assert.ok(!report.lines.some((l) => l.name === "X-Ray traces"));
    });
});

describe("cost model: budget comparison", () => {
    const nat = () => res("aws:ec2/natGateway:NatGateway", "nat"); // 730 x 0.062 + 500 x 0.062 = 76.26
    const budget = (limit: string) => res("aws:budgets/budget:Budget", "monthly", { budgetType: "COST", timeUnit: "MONTHLY", limitAmount: limit, limitUnit: "USD" });
    const cases: { title: string; resources: () => RecordedResource[]; config?: Record<string, unknown>; status: string; source: string; limit?: number }[] = [
        { title: "graph budget, under", resources: () => [nat(), budget("1500")], status: "under", source: "aws:budgets/budget:Budget", limit: 1500 },
        { title: "graph budget, over", resources: () => [nat(), budget("50.0")], status: "over", source: "aws:budgets/budget:Budget", limit: 50 },
        { title: "config budget when the graph has none, over", resources: () => [nat()], config: { "platform:monitoring": { budget: { monthlyUsd: 20 } } }, status: "over", source: "config:platform:monitoring.budget.monthlyUsd", limit: 20 },
        { title: "config budget, under", resources: () => [nat()], config: { "platform:monitoring": { budget: { monthlyUsd: 100 } } }, status: "under", source: "config:platform:monitoring.budget.monthlyUsd", limit: 100 },
        { title: "graph budget wins over config", resources: () => [nat(), budget("1500")], config: { "platform:monitoring": { budget: { monthlyUsd: 20 } } }, status: "under", source: "aws:budgets/budget:Budget", limit: 1500 },
        { title: "no budget anywhere", resources: () => [nat()], status: "no-budget", source: "none" },
    ];
    for (const c of cases) {
        it(c.title, () => {
            const report = estimate(c.resources(), {}, c.config);
            assert.strictEqual(report.budget.status, c.status);
            assert.strictEqual(report.budget.source, c.source);
            assert.strictEqual(report.budget.limitUsd, c.limit);
            if (c.limit !== undefined) close(report.budget.headroomUsd!, c.limit - 76.26, "headroom");
        });
    }

    it("a usage budget or a quarterly budget is not the monthly cost budget", () => {
        const report = estimate([nat(), res("aws:budgets/budget:Budget", "q", { budgetType: "COST", timeUnit: "QUARTERLY", limitAmount: "10", limitUnit: "USD" })]);
        assert.strictEqual(report.budget.status, "no-budget");
    });
});

describe("cost assumptions", () => {
    it("defaults come from seed 001", () => {
        const a = costAssumptionsSchema.parse({});
        assert.strictEqual(a.hoursPerMonth, 730);
        assert.strictEqual(a.nat.processedGb, 500);
        assert.strictEqual(a.cloudfront.transferOutGb, 500);
        assert.strictEqual(a.s3.totalStorageGb, 100);
        assert.strictEqual(a.logs.ingestedGb, 10);
        assert.strictEqual(a.metrics.customMetrics, 100);
        assert.strictEqual(a.alb.lcuPerLoadBalancer, 10);
        assert.strictEqual(a.lambda.avgDurationMs, 200);
        assert.strictEqual(a.lambda.requestsPerMonth, 1_000_000);
        assert.strictEqual(a.xray.tracesPerMonth, 1_000_000);
        assert.strictEqual(a.secretsManager.apiCallsPerMonth, 1_000_000);
        assert.strictEqual(a.kms.apiCallsPerMonth, 1_000_000);
    });

    it("platform:cost in the stack config is read, and the override wins over it", () => {
        const run = stackRun([res("aws:ec2/natGateway:NatGateway", "nat")], { "platform:cost": { nat: { processedGb: 100 }, hoursPerMonth: 700 } });
        const fromConfig = estimateCost(run);
        assert.strictEqual(fromConfig.assumptions.nat.processedGb, 100);
        assert.strictEqual(fromConfig.assumptions.hoursPerMonth, 700);
        const overridden = estimateCost(run, { nat: { processedGb: 0 } });
        assert.strictEqual(overridden.assumptions.nat.processedGb, 0);
        assert.strictEqual(overridden.assumptions.hoursPerMonth, 700);
        close(overridden.totalMonthlyUsd, 700 * 0.062, "700 h, no GB");
    });

    it("bad assumptions fail with every key path", () => {
        assert.throws(
            () => parseCostAssumptions({ nat: { processedGb: -1 }, s3: { standardShare: 2 }, typo: 1 }),
            (e: Error) => /platform:cost\.nat\.processedGb/.test(e.message) && /platform:cost\.s3\.standardShare/.test(e.message) && /typo/.test(e.message) && /3 problems/.test(e.message),
        );
    });
});

describe("cost assumptions: typos are errors at every depth", () => {
    const cases: { input: unknown; path: RegExp }[] = [
        { input: { nat: { processedGB: 50 } }, path: /platform:cost\.nat: Unrecognized key: "processedGB"/ },
        { input: { lambda: { perFunction: { fn: { avgDurationMS: 5 } } } }, path: /platform:cost\.lambda\.perFunction\.fn: Unrecognized key/ },
        { input: { cloudfront: { edge: "europe" } }, path: /platform:cost\.cloudfront\.edge/ },
        { input: { s3: { coldStorageClass: "GLACIER_DEEP" } }, path: /platform:cost\.s3\.coldStorageClass/ },
    ];
    for (const c of cases) {
        it(JSON.stringify(c.input), () => assert.throws(() => parseCostAssumptions(c.input), c.path));
    }
});

describe("cost report output", () => {
    const report = () =>
        estimate(
            [res("aws:ec2/natGateway:NatGateway", "nat"), res("aws:ec2/instance:Instance", "bastion"), res("aws:budgets/budget:Budget", "b", { limitAmount: "50", timeUnit: "MONTHLY", budgetType: "COST", limitUnit: "USD" })],
        );

    it("text names the total, the budget verdict, the not-priced list and the price table", () => {
        const text = formatCostReport(report());
        assert.match(text, /Total: \$76\.26/);
        assert.match(text, /Budget: OVER/);
        assert.match(text, /Not priced \(1\)[\s\S]*aws:ec2\/instance:Instance bastion/);
        assert.match(text, new RegExp(`Price table ${PRICE_TABLE.version.replace(/\./g, "\\.")}`));
        assert.match(text, /Not modelled: data transfer/);
    });

    it("JSON form survives a round trip and keeps cents", () => {
        const json = toCostJson(report());
        const back = JSON.parse(JSON.stringify(json));
        assert.strictEqual(back.totalMonthlyUsd, 76.26);
        assert.strictEqual(back.budget.status, "over");
        assert.strictEqual(back.notPriced[0].type, "aws:ec2/instance:Instance");
        assert.strictEqual(back.priceTable.version, PRICE_TABLE.version);
    });

    it("Markdown for the PR comment has the verdict and the component table", () => {
        const md = formatCostMarkdown(report());
        assert.match(md, /### Cost estimate: `test` — \$76\.26\/month 🔴 over budget/);
        assert.match(md, /\| \(no component\) \| \$76\.26 \| 1 \|/);
        assert.match(md, /\*\*Not priced \(1\)\*\*/);
    });
});

describe("multi-stack summary for the PR comment", () => {
    it("one row per stack with the verdict", () => {
        const over = estimate([res("aws:ec2/natGateway:NatGateway", "nat")], {}, { "platform:monitoring": { budget: { monthlyUsd: 50 } } });
        const none = estimate([res("aws:kms/key:Key", "k")]);
        const md = formatCostSummaryMarkdown([over, none]);
        assert.match(md, /\| `test` \| \$76\.26 \| \$50\.00 \| 🔴 over \| 0 \|/);
        assert.match(md, /\| `test` \| \$4\.00 \| — \| ⚪ none \| 0 \|/);
    });
});

describe("price table", () => {
    it("covers the three regions the platform uses, each price with a unit and a source", () => {
        assert.deepStrictEqual(Object.keys(PRICE_TABLE.regions).sort(), ["ap-northeast-1", "us-east-1", "us-west-2"]);
        for (const [region, prices] of Object.entries(PRICE_TABLE.regions)) {
            for (const [key, value] of Object.entries(prices)) {
                if (key === "region") continue;
                const list = "usd" in (value as object) ? [value] : Object.values(value as object);
                for (const p of list as { usd: number; unit: string; source: string }[]) {
                    assert.ok(p.usd >= 0 && p.unit && p.source, `${region}.${key}`);
                    assert.match(p.source, /seed 001|verify/, `${region}.${key}: source must say seed or verify`);
                }
            }
        }
        assert.match(PRICE_TABLE.asOf, /^\d{4}-\d{2}-\d{2}$/);
    });
});

describe("cost model: seed 001 reference prod architecture (Tokyo prices)", () => {
    // The architecture seed 001 §コスト見積もり prices, as a graph. Seed total: $1,451.7/month.
    // Differences, each deliberate: Aurora db.r6g.large at the Tokyo list price $0.313/h (seed:
    // $292/month = $0.40/h) -127.0; Fargate at the Tokyo price (seed used us-east-1's) +35.8;
    // Lambda GB-s 10x lower than the seed's arithmetic slip -15.3; the first 3 dashboards free -9;
    // no EBS for ALB logs (ALB logs go to S3) -4.8; CloudFront requests +12, public IPv4 on the
    // ALB and NAT EIPs +14.6, Aurora Tokyo storage/I/O +2.0.
    const graph = () => {
        const kms = [res("aws:kms/key:Key", "data-key"), res("aws:kms/key:Key", "logs-key")];
        const secrets = [1, 2, 3, 4, 5].map((i) => res("aws:secretsmanager/secret:Secret", `secret-${i}`));
        const alarms = Array.from({ length: 10 }, (_, i) => res("aws:cloudwatch/metricAlarm:MetricAlarm", `alarm-${i}`, { period: 300 }));
        const dashboards = [1, 2, 3].map((i) => res("aws:cloudwatch/dashboard:Dashboard", `dash-${i}`));
        return [
            ...fargate("api", { cpu: "2048", memory: "4096", desired: 2 }),
            res("aws:lambda/function:Function", "worker", { memorySize: 512, tracingConfig: { mode: "Active" } }),
            res("aws:rds/cluster:Cluster", "db", { engine: "aurora-postgresql", clusterIdentifier: "db" }),
            res("aws:rds/clusterInstance:ClusterInstance", "db-1", { instanceClass: "db.r6g.large", clusterIdentifier: "db", engine: "aurora-postgresql" }),
            res("aws:rds/clusterInstance:ClusterInstance", "db-2", { instanceClass: "db.r6g.large", clusterIdentifier: "db", engine: "aurora-postgresql" }),
            res("aws:elasticache/replicationGroup:ReplicationGroup", "redis", { nodeType: "cache.r6g.large", numCacheClusters: 2 }),
            res("aws:lb/loadBalancer:LoadBalancer", "alb", { loadBalancerType: "application", subnets: ["a", "c"] }),
            res("aws:ec2/natGateway:NatGateway", "nat-a"),
            res("aws:ec2/natGateway:NatGateway", "nat-c"),
            res("aws:ec2/eip:Eip", "eip-a"),
            res("aws:ec2/eip:Eip", "eip-c"),
            res("aws:cloudfront/distribution:Distribution", "cdn"),
            res("aws:s3/bucket:Bucket", "assets"),
            res("aws:cloudwatch/logGroup:LogGroup", "app-logs", { retentionInDays: 30 }),
            ...alarms,
            ...dashboards,
            res("aws:cloudtrail/trail:Trail", "trail", { eventSelectors: [{ includeManagementEvents: true, dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] }] }),
            ...secrets,
            ...kms,
            res("aws:budgets/budget:Budget", "monthly", { budgetType: "COST", timeUnit: "MONTHLY", limitAmount: "1500", limitUnit: "USD" }),
        ];
    };

    it("totals the hand-computed $1,359.26 and stays under the $1,500 budget of AC-COST-4", () => {
        const report = estimateCost(stackRun(graph()));
        const expected =
            2 * 2 * 730 * 0.05056 + 4 * 2 * 730 * 0.00553 + // Fargate 179.93
            1.66667 + 0.2 + // Lambda 1.87
            2 * 730 * 0.313 + 12 + 0.24 + // Aurora instances 456.98, storage, I/O
            359.16 + // Redis
            17.739 + 58.4 + 2 * 3.65 + // ALB hours, LCU, public IPv4
            90.52 + 31 + 2 * 3.65 + // NAT hours, GB, EIPs
            57 + 12 + // CloudFront GB, requests
            2.5 + 4.7 + 3.7 + // S3
            7.6 + 10 * (30 / (365 / 12)) * 0.033 + 30 + 1 + 0 + // logs, storage, metrics, alarms, dashboards (3 free)
            1 + 5 + // CloudTrail data events, X-Ray
            2 + 5 + 2 + 3; // Secrets, KMS
        close(report.totalMonthlyUsd, expected, "seed reference total");
        close(report.totalMonthlyUsd, 1359.26, "seed reference total (rounded)");
        assert.strictEqual(report.budget.status, "under");
        assert.deepStrictEqual(report.notPriced, []);
    });
});

describe("cost change between two estimates (PR vs main)", () => {
    const base = () => [res("aws:ec2/natGateway:NatGateway", "nat-a"), res("aws:kms/key:Key", "key")];

    it("an added NAT gateway adds its hours (+$45.26); the 500 GB is only re-split", () => {
        const before = toCostJson(estimate(base()));
        const after = toCostJson(estimate([...base(), res("aws:ec2/natGateway:NatGateway", "nat-c"), res("aws:ec2/instance:Instance", "bastion")]));
        const diff = diffCostJson(before, after);
        close(diff.deltaUsd, 730 * 0.062, "delta: one more NAT-hour set; processed GB only re-split");
        const added = diff.resources.find((r) => r.change === "added");
        assert.ok(added && added.key.endsWith("::nat-c"), JSON.stringify(diff.resources));
        assert.ok(diff.resources.some((r) => r.change === "changed" && r.key.endsWith("::nat-a")), "nat-a's share of the GB changed");
        assert.deepStrictEqual(diff.newlyNotPriced, ["aws:ec2/instance:Instance"]);
        assert.match(formatCostDiff(diff), /Cost change for test: \+\$45\.26\/month/);
    });

    it("a removed resource is a negative change; identical estimates are no change", () => {
        const before = toCostJson(estimate(base()));
        const after = toCostJson(estimate([base()[0]]));
        const diff = diffCostJson(before, after);
        assert.deepStrictEqual(diff.resources.map((r) => [r.change, r.deltaUsd]), [["removed", -4]]);
        const same = diffCostJson(before, before);
        assert.strictEqual(same.deltaUsd, 0);
        assert.deepStrictEqual(same.resources, []);
        assert.strictEqual(same.assumptionsChanged, false);
    });

    it("flags changed assumptions", () => {
        const before = toCostJson(estimate(base()));
        const after = toCostJson(estimate(base(), { nat: { processedGb: 100 } }));
        assert.strictEqual(diffCostJson(before, after).assumptionsChanged, true);
    });
});

describe("tools/cost.ts arguments", () => {
    const cases: { argv: string[]; expect: Record<string, unknown> | RegExp }[] = [
        { argv: ["--stack", "prod"], expect: { stacks: ["prod"], details: false, failOverBudget: false } },
        { argv: ["--stack", "dev,staging", "-s", "prod", "--json", "o.json", "--details"], expect: { stacks: ["dev", "staging", "prod"], json: "o.json", details: true } },
        { argv: ["--stack", "prod", "--assume", '{"nat":{"processedGb":1}}'], expect: { assume: { nat: { processedGb: 1 } } } },
        { argv: ["--stack", "prod", "--baseline", "main.json", "--fail-over-budget"], expect: { baseline: "main.json", failOverBudget: true } },
        { argv: ["--all"], expect: { stacks: ["dev", "staging", "prod"] } },
        { argv: [], expect: /--stack \(or --all\) is required/ },
        { argv: ["--stack", "prod", "--baseline", "b.json", "--max-increase-usd", "50"], expect: { maxIncreaseUsd: 50 } },
        { argv: ["--stack", "prod", "--max-increase-usd", "50"], expect: /needs --baseline/ },
        { argv: ["--stack", "prod", "--baseline", "b.json", "--max-increase-usd", "lots"], expect: /expected a number of US dollars/ },
        { argv: ["--stack"], expect: /--stack: expected a value/ },
        { argv: ["--stack", "prod", "--assume", "{nope"], expect: /--assume: expected JSON/ },
        { argv: ["--stack", "prod", "--bogus"], expect: /unknown argument --bogus/ },
    ];
    for (const c of cases) {
        it(c.argv.join(" ") || "(no arguments)", () => {
            if (c.expect instanceof RegExp) {
                assert.throws(() => parseArgs(c.argv), c.expect);
            } else {
                const parsed = parseArgs(c.argv) as unknown as Record<string, unknown>;
                for (const [k, v] of Object.entries(c.expect)) assert.deepStrictEqual(parsed[k], v, k);
            }
        });
    }
});

describe("free list and formula table", () => {
    it("no type is both free and priced", () => {
        const { FREE_TYPES, PRICED_TYPES } = require("../cost") as typeof import("../cost");
        const both = PRICED_TYPES.filter((t) => FREE_TYPES[t] !== undefined);
        assert.deepStrictEqual(both, []);
    });

    it("every type on the free list and in the formula table is a real @pulumi/aws type token", () => {
        const { FREE_TYPES, PRICED_TYPES } = require("../cost") as typeof import("../cost");
        const aws = require("@pulumi/aws");
        const missing: string[] = [];
        for (const t of [...Object.keys(FREE_TYPES), ...PRICED_TYPES].filter((x) => x.startsWith("aws:"))) {
            // aws:<module>/<file>:<Class> -> aws.<module>.<Class>, which carries __pulumiType
            const m = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(t);
            const mod = m ? aws[m[1] === "index" ? "" : m[1]] : undefined;
            const cls = m && mod ? mod[m[2]] : undefined;
            if (!cls || cls.__pulumiType !== t) missing.push(t);
        }
        assert.deepStrictEqual(missing, []);
    });
});

describe("cost/README.md examples", () => {
    it("every platform:cost block in the README is valid for costAssumptionsSchema", () => {
        const fs = require("fs") as typeof import("fs");
        const path = require("path") as typeof import("path");
        const { parse } = require("yaml") as typeof import("yaml");
        const text = fs.readFileSync(path.join(__dirname, "..", "cost", "README.md"), "utf8");
        const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
        let checked = 0;
        for (const block of blocks) {
            // Each block holds one or more "  platform:cost:" sections (indented as in a stack file).
            const sections = block.split(/^\s*platform:cost:\s*$/m).slice(1);
            for (const section of sections) {
                const body = section.split(/^#/m)[0];
                const value = parse(body.replace(/^ {4}/gm, ""));
                assert.doesNotThrow(() => parseCostAssumptions(value), `README block:\n${body}`);
                checked++;
            }
        }
        assert.ok(checked >= 3, `expected at least 3 platform:cost examples, found ${checked}`);
    });
});
