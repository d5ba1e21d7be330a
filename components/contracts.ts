/**
 * The typed outputs each tier exposes to the tiers after it (DESIGN.md: one direction only).
 *
 * Network -> Data(network) -> Compute(network, data) -> Edge(compute, data) -> Monitoring(all).
 * A tier's component class implements its interface here (it may expose more); a downstream tier
 * declares its args with these interfaces, never with another tier's classes, so each tier can be
 * built and tested with fakes. Maps are keyed by the names declared in the stack configuration.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { SecurityGroupRole } from "./network/security-groups";

type Out<T> = pulumi.Output<T>;

/** Shared account facts and naming, created once in platform.ts. */
export interface PlatformContext {
    /** `<project>-<stack>`: prefix of physical names and Name tags. */
    namePrefix: string;
    region: string;
    drRegion: string;
    accountId: Out<string>;
    partition: Out<string>;
    /** The CMK of every CloudWatch log group (its policy lets CloudWatch Logs in `region` use it). */
    logsKeyArn: Out<string>;
    /**
     * The logs CMK's alias name (`alias/<namePrefix>-logs`), known before the key exists: IAM
     * policies name the key by it (`key/*` + `kms:ResourceAliases`), readable in a first preview.
     */
    logsKeyAlias: Out<string>;
}

export interface NetworkOutputs {
    vpcId: Out<string>;
    vpcCidr: string;
    azs: readonly string[];
    publicSubnetIds: Out<string>[];
    privateSubnetIds: Out<string>[];
    dataSubnetIds: Out<string>[];
    securityGroupIds: Readonly<Record<SecurityGroupRole, Out<string>>>;
}

export interface KeyRef {
    arn: Out<string>;
    keyId: Out<string>;
}

export interface BucketRef {
    name: Out<string>;
    arn: Out<string>;
    regionalDomainName: Out<string>;
    /** CMK ARN when the bucket uses SSE-KMS; undefined for SSE-S3 buckets (e.g. access-log targets). */
    kmsKeyArn?: Out<string>;
}

export interface TableRef {
    name: Out<string>;
    arn: Out<string>;
    /** Names of its global secondary indexes (IAM grants `<arn>/index/<name>`). */
    indexNames: readonly string[];
    /** Stream ARN when streams are enabled. */
    streamArn?: Out<string>;
}

interface SecretRefBase {
    arn: Out<string>;
    /** The CMK that encrypts it (readers need kms:Decrypt on it): the `secrets` domain key. */
    kmsKeyArn: Out<string>;
}

/**
 * A secret, with what IAM policies name it by: `arn` is unknown until the secret exists (the first
 * preview of a fresh stack), so grants are built from exactly one of
 * - `name`: a secret the data tier names (`<prefix>-<key>`); its ARN is
 *   `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-??????` (six random characters);
 * - `rdsClusterIdentifier`: the master-user secret RDS creates, names (`rds!cluster-<random>`) and
 *   tags `aws:rds:primaryDBClusterArn` with the ARN of this cluster.
 */
export type SecretRef = SecretRefBase & ({ name: Out<string>; rdsClusterIdentifier?: undefined } | { name?: undefined; rdsClusterIdentifier: Out<string> });

export interface LogGroupRef {
    name: Out<string>;
    arn: Out<string>;
    /** What writes to it: drives metric filters and the retention policy. */
    kind: "application" | "access" | "audit" | "flow" | "database" | "cache" | "workflow" | "waf";
    /** The workload or resource it belongs to, e.g. a service name. */
    owner: string;
}

export interface DatabaseRef {
    clusterIdentifier: Out<string>;
    clusterArn: Out<string>;
    clusterResourceId: Out<string>;
    /** Instance identifiers (writer first) for per-instance alarms. */
    instanceIdentifiers: Out<string>[];
    endpoint: Out<string>;
    readerEndpoint: Out<string>;
    port: number;
    databaseName: string;
    /** Secrets Manager secret with the master credentials (managed and rotated by RDS). */
    masterSecretArn: Out<string>;
    /** Serverless v2 capacity range (ACU), for alarms and cost. */
    minCapacity: number;
    maxCapacity: number;
}

export interface CacheRef {
    replicationGroupId: Out<string>;
    /** Member cluster ids (per-node alarms use CacheClusterId). */
    memberClusterIds: Out<string[]>;
    primaryEndpoint: Out<string>;
    readerEndpoint: Out<string>;
    port: number;
    /** Secret holding the AUTH token. */
    authSecretArn: Out<string>;
}

export interface DataOutputs {
    /** CMKs by data domain. Required domains: `data` (S3/DynamoDB/Aurora/Redis/backups), `secrets` (Secrets Manager), `messaging` (SQS/SNS). */
    keys: Readonly<Record<string, KeyRef>>;
    /** Keyed by table name in config (documents, chatSessions, processingHistory, prompts, userSessions, ...). */
    tables: Readonly<Record<string, TableRef>>;
    /** Keyed by bucket name in config (documents, temporary, prompts, appData, staticSite, logs, backups, ...). `logs` receives ALB/CloudFront/CloudTrail logs. */
    buckets: Readonly<Record<string, BucketRef>>;
    /** Keyed by secret name (jwt, pinecone, bedrock, database (the Aurora master secret), redisAuth, ...). */
    secrets: Readonly<Record<string, SecretRef>>;
    database?: DatabaseRef;
    cache?: CacheRef;
    logGroups: readonly LogGroupRef[];
}

export interface ServiceRef {
    name: string;
    serviceName: Out<string>;
    /** ALB target group ARN suffix (CloudWatch dimension), for web services. */
    targetGroupArnSuffix?: Out<string>;
    minTasks: number;
    maxTasks: number;
    cpu: number;
    memory: number;
    kind: "web" | "worker" | "job";
}

export interface FunctionRef {
    name: string;
    functionName: Out<string>;
    arn: Out<string>;
    invokeArn: Out<string>;
    timeoutSeconds: number;
    memoryMb: number;
}

export interface QueueRef {
    name: string;
    queueName: Out<string>;
    arn: Out<string>;
    url: Out<string>;
    dlqName: Out<string>;
    dlqArn: Out<string>;
}

export interface ComputeOutputs {
    cluster: { name: Out<string>; arn: Out<string> };
    alb?: {
        arn: Out<string>;
        arnSuffix: Out<string>;
        dnsName: Out<string>;
        zoneId: Out<string>;
        /** The listener CloudFront connects to (HTTPS when a certificate is configured). */
        listenerArn: Out<string>;
        /** Protocol CloudFront must use to reach the ALB. */
        originProtocol: "https-only" | "http-only";
    };
    /** Header CloudFront adds and the ALB requires, so the ALB only serves traffic from CloudFront. */
    originVerifyHeader?: { name: string; value: Out<string> };
    services: Readonly<Record<string, ServiceRef>>;
    functions: Readonly<Record<string, FunctionRef>>;
    queues: Readonly<Record<string, QueueRef>>;
    topics: Readonly<Record<string, { arn: Out<string>; name: Out<string> }>>;
    stateMachines: Readonly<Record<string, { arn: Out<string>; name: Out<string> }>>;
    logGroups: readonly LogGroupRef[];
}

export interface EdgeOutputs {
    distribution?: { id: Out<string>; arn: Out<string>; domainName: Out<string> };
    api?: { id: Out<string>; name: Out<string>; stageName: string; url: Out<string> };
    userPool?: { id: Out<string>; arn: Out<string>; clientId: Out<string> };
    webAclArn?: Out<string>;
    logGroups: readonly LogGroupRef[];
}

/** Log-bucket key prefixes every writer and the bucket policy agree on. */
export const LOG_PREFIXES = { alb: "alb", cloudfront: "cloudfront", cloudtrail: "cloudtrail", s3: "s3-access" } as const;

/** Physical names that a bucket or key policy must know before the resource exists. */
export function trailName(namePrefix: string): string {
    return `${namePrefix}-trail`;
}
