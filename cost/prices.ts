/**
 * The dated, versioned AWS price table the offline cost model uses (on-demand list prices, USD).
 *
 * Every price carries its unit and its source:
 * - `SEED` — quoted by seed 001 (§コスト見積もり) and checked against the region it is used for;
 * - `LIST` — list price as of {@link PRICE_TABLE.asOf} filled in from the AWS pricing pages without
 *   network access while this table was written: verify each against the AWS Price List API
 *   (`aws pricing get-products`) or https://aws.amazon.com/<service>/pricing/ before relying on it.
 *
 * Seed 001 quotes some us-east-1 prices as if they were Tokyo prices: Fargate $0.04048/vCPU-h and
 * $0.004445/GB-h are the us-east-1 (N. Virginia) prices; ap-northeast-1 is $0.05056 and $0.00553.
 * Aurora storage $0.10/GB, I/O $0.20/M and backup $0.021/GB are us-east-1 too. This table puts
 * each price in its real region: the seed figures are reproduced by the us-east-1 table and the
 * Tokyo table carries the Tokyo price (see tests/cost.test.ts).
 *
 * Updating: change the numbers, bump `version`, set `asOf`, and keep the source notes honest.
 */

/** One price: US dollars per `unit`, with where the number came from. */
export interface Price {
    readonly usd: number;
    readonly unit: string;
    readonly source: string;
}

export const PRICE_TABLE_VERSION = "2026.11.22-1";
export const PRICE_TABLE_AS_OF = "2026-11-22";

const SEED = "seed 001 (コスト見積もり)";
const LIST = `list price as of ${PRICE_TABLE_AS_OF} (verify)`;
const SEED_LIST = `${SEED}; matches the ap-northeast-1 list price (verify)`;

const p = (usd: number, unit: string, source: string = LIST): Price => Object.freeze({ usd, unit, source });

/** Prices of one AWS region. */
export interface RegionPrices {
    readonly region: string;
    // Compute
    readonly fargateVcpuHour: Price;
    readonly fargateGbHour: Price;
    readonly fargateArmVcpuHour: Price;
    readonly fargateArmGbHour: Price;
    readonly fargateSpotVcpuHour: Price;
    readonly fargateSpotGbHour: Price;
    readonly fargateArmSpotVcpuHour: Price;
    readonly fargateArmSpotGbHour: Price;
    /** Ephemeral storage beyond the 20 GiB every task gets. */
    readonly fargateEphemeralGbHour: Price;
    readonly lambdaGbSecond: Price;
    readonly lambdaArmGbSecond: Price;
    readonly lambdaRequestsPerMillion: Price;
    // Network
    readonly albHour: Price;
    readonly albLcuHour: Price;
    readonly nlbHour: Price;
    readonly nlbLcuHour: Price;
    readonly natHour: Price;
    readonly natGb: Price;
    readonly publicIpv4Hour: Price;
    readonly vpcEndpointAzHour: Price;
    readonly vpcEndpointGb: Price;
    // Databases and caches
    readonly auroraAcuHour: Price;
    readonly auroraIoOptimizedAcuHour: Price;
    readonly auroraStorageGbMonth: Price;
    readonly auroraIoOptimizedStorageGbMonth: Price;
    readonly auroraIoPerMillion: Price;
    readonly auroraBackupGbMonth: Price;
    /** Aurora PostgreSQL-compatible, Aurora Standard, per instance-hour. I/O-Optimized adds {@link AURORA_IO_OPTIMIZED_INSTANCE_FACTOR}. */
    readonly auroraInstanceHour: Readonly<Record<string, Price>>;
    /** ElastiCache Redis OSS on-demand node-hour (Valkey is {@link VALKEY_NODE_FACTOR} of it). */
    readonly elasticacheNodeHour: Readonly<Record<string, Price>>;
    readonly dynamodbWcuHour: Price;
    readonly dynamodbRcuHour: Price;
    readonly dynamodbWriteRequestsPerMillion: Price;
    readonly dynamodbReadRequestsPerMillion: Price;
    readonly dynamodbStorageGbMonth: Price;
    // Storage
    readonly s3StandardGbMonth: Price;
    readonly s3StandardIaGbMonth: Price;
    readonly s3GlacierIrGbMonth: Price;
    readonly s3GlacierGbMonth: Price;
    readonly s3DeepArchiveGbMonth: Price;
    readonly s3PutPer1000: Price;
    readonly s3GetPer1000: Price;
    readonly efsStandardGbMonth: Price;
    readonly ecrGbMonth: Price;
    readonly backupWarmGbMonth: Price;
    // Observability, audit
    readonly logsIngestGb: Price;
    readonly logsStorageGbMonth: Price;
    readonly customMetricMonth: Price;
    readonly alarmStandardMetricMonth: Price;
    readonly alarmHighResMetricMonth: Price;
    readonly compositeAlarmMonth: Price;
    readonly dashboardMonth: Price;
    readonly cloudtrailDataEventsPer100k: Price;
    readonly cloudtrailManagementEventsPer100k: Price;
    readonly cloudtrailInsightsPer100k: Price;
    readonly xrayTracesPerMillion: Price;
    // Security
    readonly secretMonth: Price;
    readonly secretsApiPer10k: Price;
    readonly kmsKeyMonth: Price;
    readonly kmsApiPer10k: Price;
    readonly wafWebAclMonth: Price;
    readonly wafRuleMonth: Price;
    readonly wafRequestsPerMillion: Price;
    // Integration, APIs, identity
    readonly sqsRequestsPerMillion: Price;
    readonly sqsFifoRequestsPerMillion: Price;
    readonly snsPublishesPerMillion: Price;
    readonly eventBridgeEventsPerMillion: Price;
    readonly sfnTransitionsPer1000: Price;
    readonly sfnExpressRequestsPerMillion: Price;
    readonly apiGatewayRestPerMillion: Price;
    readonly apiGatewayHttpPerMillion: Price;
    readonly apiGatewayWebsocketPerMillion: Price;
    readonly cognitoEssentialsMau: Price;
    readonly cognitoLiteMau: Price;
    readonly cognitoPlusMau: Price;
}

/** Global (not regional) services: CloudFront by edge geography, Route 53. */
export interface GlobalPrices {
    readonly cloudfrontGbOut: Readonly<Record<CloudFrontEdge, Price>>;
    readonly cloudfrontHttpsPer10k: Readonly<Record<CloudFrontEdge, Price>>;
    readonly route53ZoneMonth: Price;
    readonly route53QueriesPerMillion: Price;
    readonly route53HealthCheckAwsMonth: Price;
    readonly route53HealthCheckFeatureAwsMonth: Price;
}

export type CloudFrontEdge = "japan" | "us-europe";

export const AURORA_IO_OPTIMIZED_INSTANCE_FACTOR = 1.3;
export const VALKEY_NODE_FACTOR = 0.8;

// ---------------------------------------------------------------------------------------------
// us-east-1 (N. Virginia)
// ---------------------------------------------------------------------------------------------
const US_EAST_1: RegionPrices = Object.freeze({
    region: "us-east-1",
    fargateVcpuHour: p(0.04048, "vCPU-hour", `${LIST}; seed 001 quotes this us-east-1 price for Tokyo`),
    fargateGbHour: p(0.004445, "GB-hour", `${LIST}; seed 001 quotes this us-east-1 price for Tokyo`),
    fargateArmVcpuHour: p(0.03238, "vCPU-hour"),
    fargateArmGbHour: p(0.00356, "GB-hour"),
    fargateSpotVcpuHour: p(0.012144, "vCPU-hour", "Fargate Spot ~70% off on-demand; the real price floats (verify)"),
    fargateSpotGbHour: p(0.0013335, "GB-hour", "Fargate Spot ~70% off on-demand; the real price floats (verify)"),
    fargateArmSpotVcpuHour: p(0.009714, "vCPU-hour", "Fargate Spot ~70% off on-demand; the real price floats (verify)"),
    fargateArmSpotGbHour: p(0.001068, "GB-hour", "Fargate Spot ~70% off on-demand; the real price floats (verify)"),
    fargateEphemeralGbHour: p(0.000111, "GB-hour"),
    lambdaGbSecond: p(0.0000166667, "GB-second"),
    lambdaArmGbSecond: p(0.0000133334, "GB-second"),
    lambdaRequestsPerMillion: p(0.2, "1M requests"),
    albHour: p(0.0225, "ALB-hour"),
    albLcuHour: p(0.008, "LCU-hour"),
    nlbHour: p(0.0225, "NLB-hour"),
    nlbLcuHour: p(0.006, "NLCU-hour"),
    natHour: p(0.045, "NAT gateway-hour"),
    natGb: p(0.045, "GB processed"),
    publicIpv4Hour: p(0.005, "public IPv4 address-hour"),
    vpcEndpointAzHour: p(0.01, "endpoint ENI (AZ)-hour"),
    vpcEndpointGb: p(0.01, "GB processed"),
    auroraAcuHour: p(0.12, "ACU-hour"),
    auroraIoOptimizedAcuHour: p(0.156, "ACU-hour"),
    auroraStorageGbMonth: p(0.1, "GB-month", `${SEED} (this is the us-east-1 price)`),
    auroraIoOptimizedStorageGbMonth: p(0.225, "GB-month"),
    auroraIoPerMillion: p(0.2, "1M I/O requests", `${SEED} (this is the us-east-1 price)`),
    auroraBackupGbMonth: p(0.021, "GB-month", `${SEED} (this is the us-east-1 price)`),
    auroraInstanceHour: Object.freeze({
        "db.t4g.medium": p(0.073, "instance-hour"),
        "db.t4g.large": p(0.146, "instance-hour"),
        "db.t3.medium": p(0.082, "instance-hour"),
        "db.r6g.large": p(0.26, "instance-hour"),
        "db.r6g.xlarge": p(0.519, "instance-hour"),
        "db.r6g.2xlarge": p(1.038, "instance-hour"),
        "db.r7g.large": p(0.276, "instance-hour"),
        "db.r7g.xlarge": p(0.552, "instance-hour"),
        "db.r5.large": p(0.29, "instance-hour"),
    }),
    elasticacheNodeHour: Object.freeze({
        "cache.t4g.micro": p(0.016, "node-hour"),
        "cache.t4g.small": p(0.032, "node-hour"),
        "cache.t4g.medium": p(0.065, "node-hour"),
        "cache.t3.micro": p(0.017, "node-hour"),
        "cache.m6g.large": p(0.149, "node-hour"),
        "cache.r6g.large": p(0.206, "node-hour"),
        "cache.r6g.xlarge": p(0.411, "node-hour"),
        "cache.r7g.large": p(0.219, "node-hour"),
        "cache.r7g.xlarge": p(0.437, "node-hour"),
    }),
    dynamodbWcuHour: p(0.00065, "WCU-hour"),
    dynamodbRcuHour: p(0.00013, "RCU-hour"),
    dynamodbWriteRequestsPerMillion: p(0.625, "1M write request units"),
    dynamodbReadRequestsPerMillion: p(0.125, "1M read request units"),
    dynamodbStorageGbMonth: p(0.25, "GB-month"),
    s3StandardGbMonth: p(0.023, "GB-month"),
    s3StandardIaGbMonth: p(0.0125, "GB-month"),
    s3GlacierIrGbMonth: p(0.004, "GB-month"),
    s3GlacierGbMonth: p(0.0036, "GB-month"),
    s3DeepArchiveGbMonth: p(0.00099, "GB-month"),
    s3PutPer1000: p(0.005, "1k PUT/POST/LIST"),
    s3GetPer1000: p(0.0004, "1k GET"),
    efsStandardGbMonth: p(0.3, "GB-month"),
    ecrGbMonth: p(0.1, "GB-month"),
    backupWarmGbMonth: p(0.05, "GB-month"),
    logsIngestGb: p(0.5, "GB ingested"),
    logsStorageGbMonth: p(0.03, "GB-month"),
    customMetricMonth: p(0.3, "metric-month"),
    alarmStandardMetricMonth: p(0.1, "alarm metric-month"),
    alarmHighResMetricMonth: p(0.3, "alarm metric-month"),
    compositeAlarmMonth: p(0.5, "alarm-month"),
    dashboardMonth: p(3, "dashboard-month"),
    cloudtrailDataEventsPer100k: p(0.1, "100k data events"),
    cloudtrailManagementEventsPer100k: p(2, "100k management events (additional copies)"),
    cloudtrailInsightsPer100k: p(0.35, "100k events analyzed"),
    xrayTracesPerMillion: p(5, "1M traces recorded"),
    secretMonth: p(0.4, "secret-month"),
    secretsApiPer10k: p(0.05, "10k API calls"),
    kmsKeyMonth: p(1, "key-month"),
    kmsApiPer10k: p(0.03, "10k API requests"),
    wafWebAclMonth: p(5, "web ACL-month"),
    wafRuleMonth: p(1, "rule-month"),
    wafRequestsPerMillion: p(0.6, "1M requests"),
    sqsRequestsPerMillion: p(0.4, "1M requests"),
    sqsFifoRequestsPerMillion: p(0.5, "1M requests"),
    snsPublishesPerMillion: p(0.5, "1M publishes"),
    eventBridgeEventsPerMillion: p(1, "1M custom events"),
    sfnTransitionsPer1000: p(0.025, "1k state transitions"),
    sfnExpressRequestsPerMillion: p(1, "1M requests"),
    apiGatewayRestPerMillion: p(3.5, "1M requests"),
    apiGatewayHttpPerMillion: p(1, "1M requests"),
    apiGatewayWebsocketPerMillion: p(1, "1M messages"),
    cognitoEssentialsMau: p(0.015, "MAU beyond the free 10,000"),
    cognitoLiteMau: p(0.0055, "MAU beyond the free 10,000"),
    cognitoPlusMau: p(0.02, "MAU (no free tier)"),
});

// ---------------------------------------------------------------------------------------------
// ap-northeast-1 (Tokyo) — the platform's main region
// ---------------------------------------------------------------------------------------------
const AP_NORTHEAST_1: RegionPrices = Object.freeze({
    ...US_EAST_1,
    region: "ap-northeast-1",
    fargateVcpuHour: p(0.05056, "vCPU-hour", `${LIST}; seed 001 quotes $0.04048, the us-east-1 price`),
    fargateGbHour: p(0.00553, "GB-hour", `${LIST}; seed 001 quotes $0.004445, the us-east-1 price`),
    fargateArmVcpuHour: p(0.04045, "vCPU-hour"),
    fargateArmGbHour: p(0.00442, "GB-hour"),
    fargateSpotVcpuHour: p(0.015168, "vCPU-hour", "Fargate Spot ~70% off on-demand; the real price floats (verify)"),
    fargateSpotGbHour: p(0.001659, "GB-hour", "Fargate Spot ~70% off on-demand; the real price floats (verify)"),
    fargateArmSpotVcpuHour: p(0.012135, "vCPU-hour", "Fargate Spot ~70% off on-demand; the real price floats (verify)"),
    fargateArmSpotGbHour: p(0.001326, "GB-hour", "Fargate Spot ~70% off on-demand; the real price floats (verify)"),
    fargateEphemeralGbHour: p(0.000133, "GB-hour"),
    lambdaGbSecond: p(0.0000166667, "GB-second", SEED_LIST),
    lambdaRequestsPerMillion: p(0.2, "1M requests", SEED_LIST),
    albHour: p(0.0243, "ALB-hour", SEED_LIST),
    albLcuHour: p(0.008, "LCU-hour", SEED_LIST),
    nlbHour: p(0.0243, "NLB-hour"),
    natHour: p(0.062, "NAT gateway-hour", SEED_LIST),
    natGb: p(0.062, "GB processed", SEED_LIST),
    vpcEndpointAzHour: p(0.014, "endpoint ENI (AZ)-hour"),
    auroraAcuHour: p(0.2, "ACU-hour", `${LIST}; a Tokyo Aurora Serverless v2 walkthrough (Qiita) quotes $0.20`),
    auroraIoOptimizedAcuHour: p(0.26, "ACU-hour"),
    auroraStorageGbMonth: p(0.12, "GB-month", `${LIST}; seed 001 quotes $0.10, the us-east-1 price`),
    auroraIoOptimizedStorageGbMonth: p(0.27, "GB-month"),
    auroraIoPerMillion: p(0.24, "1M I/O requests", `${LIST}; seed 001 quotes $0.20, the us-east-1 price`),
    auroraBackupGbMonth: p(0.023, "GB-month", `${LIST}; seed 001 quotes $0.021, the us-east-1 price`),
    auroraInstanceHour: Object.freeze({
        "db.t4g.medium": p(0.113, "instance-hour"),
        "db.t4g.large": p(0.226, "instance-hour"),
        "db.t3.medium": p(0.125, "instance-hour", `${LIST}; a Tokyo Aurora walkthrough (Qiita) quotes $0.125`),
        "db.r6g.large": p(0.313, "instance-hour", `${LIST}; seed 001 quotes $292/month ($0.40/h), which matches no published r6g.large price`),
        "db.r6g.xlarge": p(0.626, "instance-hour"),
        "db.r6g.2xlarge": p(1.252, "instance-hour"),
        "db.r7g.large": p(0.332, "instance-hour"),
        "db.r7g.xlarge": p(0.664, "instance-hour"),
        "db.r5.large": p(0.35, "instance-hour"),
    }),
    elasticacheNodeHour: Object.freeze({
        "cache.t4g.micro": p(0.025, "node-hour"),
        "cache.t4g.small": p(0.049, "node-hour"),
        "cache.t4g.medium": p(0.098, "node-hour"),
        "cache.t3.micro": p(0.026, "node-hour"),
        "cache.m6g.large": p(0.178, "node-hour"),
        "cache.r6g.large": p(0.246, "node-hour", SEED_LIST),
        "cache.r6g.xlarge": p(0.492, "node-hour"),
        "cache.r7g.large": p(0.262, "node-hour"),
        "cache.r7g.xlarge": p(0.524, "node-hour"),
    }),
    dynamodbWcuHour: p(0.000742, "WCU-hour"),
    dynamodbRcuHour: p(0.0001484, "RCU-hour"),
    dynamodbWriteRequestsPerMillion: p(0.715, "1M write request units"),
    dynamodbReadRequestsPerMillion: p(0.1425, "1M read request units"),
    dynamodbStorageGbMonth: p(0.285, "GB-month"),
    s3StandardGbMonth: p(0.025, "GB-month", SEED_LIST),
    s3StandardIaGbMonth: p(0.0138, "GB-month"),
    s3GlacierIrGbMonth: p(0.005, "GB-month"),
    s3GlacierGbMonth: p(0.0045, "GB-month"),
    s3DeepArchiveGbMonth: p(0.002, "GB-month"),
    s3PutPer1000: p(0.0047, "1k PUT/POST/LIST", SEED_LIST),
    s3GetPer1000: p(0.00037, "1k GET", SEED_LIST),
    efsStandardGbMonth: p(0.36, "GB-month"),
    logsIngestGb: p(0.76, "GB ingested", SEED_LIST),
    logsStorageGbMonth: p(0.033, "GB-month"),
    customMetricMonth: p(0.3, "metric-month", SEED_LIST),
    alarmStandardMetricMonth: p(0.1, "alarm metric-month", SEED_LIST),
    dashboardMonth: p(3, "dashboard-month", SEED_LIST),
    cloudtrailDataEventsPer100k: p(0.1, "100k data events", SEED_LIST),
    xrayTracesPerMillion: p(5, "1M traces recorded", SEED_LIST),
    secretMonth: p(0.4, "secret-month", SEED_LIST),
    secretsApiPer10k: p(0.05, "10k API calls", SEED_LIST),
    kmsKeyMonth: p(1, "key-month", SEED_LIST),
    kmsApiPer10k: p(0.03, "10k API requests", SEED_LIST),
    apiGatewayRestPerMillion: p(4.25, "1M requests"),
    apiGatewayHttpPerMillion: p(1.29, "1M requests"),
    apiGatewayWebsocketPerMillion: p(1.14, "1M messages"),
});

// ---------------------------------------------------------------------------------------------
// us-west-2 (Oregon) — the DR region; same list prices as us-east-1 for everything priced here
// ---------------------------------------------------------------------------------------------
const US_WEST_2: RegionPrices = Object.freeze({ ...US_EAST_1, region: "us-west-2" });

const GLOBAL: GlobalPrices = Object.freeze({
    cloudfrontGbOut: Object.freeze({
        japan: p(0.114, "GB out (first 10 TB, Japan edges)", SEED_LIST),
        "us-europe": p(0.085, "GB out (first 10 TB, US/Europe edges)"),
    }),
    cloudfrontHttpsPer10k: Object.freeze({
        japan: p(0.012, "10k HTTPS requests (Japan edges)"),
        "us-europe": p(0.01, "10k HTTPS requests (US/Europe edges)"),
    }),
    route53ZoneMonth: p(0.5, "hosted zone-month (first 25)"),
    route53QueriesPerMillion: p(0.4, "1M standard queries"),
    route53HealthCheckAwsMonth: p(0.5, "health check-month (AWS endpoint)"),
    route53HealthCheckFeatureAwsMonth: p(1, "optional feature-month (AWS endpoint)"),
});

export interface PriceTable {
    readonly version: string;
    readonly asOf: string;
    readonly currency: "USD";
    readonly sourceNotes: readonly string[];
    readonly regions: Readonly<Record<string, RegionPrices>>;
    readonly global: GlobalPrices;
}

export const PRICE_TABLE: PriceTable = Object.freeze({
    version: PRICE_TABLE_VERSION,
    asOf: PRICE_TABLE_AS_OF,
    currency: "USD",
    sourceNotes: Object.freeze([
        "On-demand list prices in USD, no Savings Plans, Reserved Instances, Spot discounts beyond Fargate Spot, credits or taxes.",
        `"${SEED}" marks prices quoted by seed 001; "${LIST}" marks prices filled in from the AWS pricing pages without network access: verify with the AWS Price List API before relying on them.`,
        "Seed 001 quotes us-east-1 prices for Fargate ($0.04048/vCPU-h, $0.004445/GB-h) and Aurora storage/I/O/backup; the ap-northeast-1 table carries the Tokyo prices instead.",
        "Account-level free tiers (Lambda 400k GB-s, CloudFront 1 TB, X-Ray 100k traces, SNS/SQS 1M requests, 10 alarms, 10 metrics) are not subtracted unless the assumptions' freeTier section says so; structural free allowances (first CloudTrail management copy, Cognito free MAUs, Aurora backup up to 100% of cluster storage) are applied.",
    ]),
    regions: Object.freeze({
        "ap-northeast-1": AP_NORTHEAST_1,
        "us-east-1": US_EAST_1,
        "us-west-2": US_WEST_2,
    }),
    global: GLOBAL,
});

/** The prices of `region`, or undefined when the table does not cover it. */
export function regionPrices(region: string, table: PriceTable = PRICE_TABLE): RegionPrices | undefined {
    return table.regions[region];
}
