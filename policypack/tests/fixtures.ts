/**
 * Builders of compliant resources for the policy cases: each case starts from a compliant shape
 * and breaks exactly one thing.
 */
import { RecordedResource } from "../offline/analyze";
import { Graph } from "./harness";

export const CMK = "arn:aws:kms:ap-northeast-1:123456789012:key/11111111-2222-3333-4444-555555555555";

export function tlsOnlyPolicy(bucketArn: string): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    });
}

export interface BucketParts {
    sse?: false | Record<string, any>;
    policy?: false | string;
    publicAccessBlock?: false | Record<string, any>;
    versioning?: false | string;
    bucketInputs?: Record<string, any>;
    protect?: boolean;
}

/** A bucket with SSE-KMS, a TLS-only policy, a public access block and versioning. */
export function bucket(g: Graph, name: string, parts: BucketParts = {}): RecordedResource {
    const b = g.add("aws:s3/bucket:Bucket", name, { bucket: `${name}-bkt`, ...(parts.bucketInputs ?? {}) }, { protect: parts.protect, state: { id: `${name}-bkt`, arn: `arn:aws:s3:::${name}-bkt` } });
    if (parts.sse !== false) {
        g.add(
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            `${name}-sse`,
            parts.sse ?? { bucket: b.state.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: CMK }, bucketKeyEnabled: true }] },
        );
    }
    if (parts.policy !== false) {
        // The program builds the bucket ARN from the bucket name (known at preview), not from bucket.arn.
        g.add("aws:s3/bucketPolicy:BucketPolicy", `${name}-policy`, { bucket: b.state.id, policy: parts.policy ?? tlsOnlyPolicy(`arn:aws:s3:::${b.inputs.bucket}`) }, { knownAtPreview: ["policy"] });
    }
    if (parts.publicAccessBlock !== false) {
        g.add(
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            `${name}-pab`,
            parts.publicAccessBlock ?? { bucket: b.state.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        );
    }
    if (parts.versioning !== false) {
        g.add("aws:s3/bucketVersioning:BucketVersioning", `${name}-versioning`, { bucket: b.state.id, versioningConfiguration: { status: parts.versioning ?? "Enabled" } });
    }
    return b;
}

/** A VPC with a flow log and a closed default security group. */
export function vpc(g: Graph, name = "vpc", parts: { flowLog?: boolean; defaultSg?: false | Record<string, any> } = {}): RecordedResource {
    const v = g.add("aws:ec2/vpc:Vpc", name, { cidrBlock: "10.0.0.0/16", enableDnsHostnames: true });
    if (parts.flowLog !== false) g.add("aws:ec2/flowLog:FlowLog", `${name}-flow-log`, { vpcId: v.state.id, trafficType: "ALL", logDestinationType: "cloud-watch-logs" });
    if (parts.defaultSg !== false) g.add("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", `${name}-default-sg`, { vpcId: v.state.id, ...(parts.defaultSg ?? {}) });
    return v;
}

/** An Aurora cluster that satisfies every database policy in prod. */
export function auroraCluster(g: Graph, name = "db", overrides: Record<string, any> = {}, instances = 2, protect = true): RecordedResource {
    const c = g.add(
        "aws:rds/cluster:Cluster",
        name,
        {
            engine: "aurora-postgresql",
            engineMode: "provisioned",
            storageEncrypted: true,
            kmsKeyId: CMK,
            backupRetentionPeriod: 7,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: `${name}-final`,
            ...overrides,
        },
        { protect, state: { clusterIdentifier: `${name}-cluster` } },
    );
    for (let i = 0; i < instances; i++) {
        g.add("aws:rds/clusterInstance:ClusterInstance", `${name}-instance-${i}`, { clusterIdentifier: c.state.id, instanceClass: "db.serverless", engine: "aurora-postgresql", publiclyAccessible: false });
    }
    return c;
}

export function doc(statements: Record<string, unknown>[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export const ECS_TRUST = doc([{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }]);
