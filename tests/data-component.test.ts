/**
 * The DataTier component with fake upstream outputs (no network tier): flags that no stack file
 * switches on (EFS, backup without DR copy, database/cache off, external API keys set) and the
 * DataOutputs contract the downstream tiers rely on.
 */
import { strict as assert } from "assert";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../components/config";
import { DataTier } from "../components/data/data-tier";
import type { NetworkOutputs } from "../components/contracts";
import { fakeContext, one, ofType, policyDoc, runProgram, StackRun } from "./harness";

const out = <T>(v: T) => pulumi.output(v);

function fakeNetwork(): NetworkOutputs {
    const sg = (role: string) => out(`sg-${role}`);
    return {
        vpcId: out("vpc-123"),
        vpcCidr: "10.9.0.0/16",
        azs: ["ap-northeast-1a", "ap-northeast-1c"],
        publicSubnetIds: [out("subnet-pub-a"), out("subnet-pub-c")],
        privateSubnetIds: [out("subnet-priv-a"), out("subnet-priv-c")],
        dataSubnetIds: [out("subnet-data-a"), out("subnet-data-c")],
        securityGroupIds: { alb: sg("alb"), ecs: sg("ecs"), lambda: sg("lambda"), rds: sg("rds"), cache: sg("cache"), endpoints: sg("endpoints") },
    };
}

const BOUNDARY = "arn:aws:iam::123456789012:policy/delivery-staging-boundary";

function runTier(data: Record<string, unknown>, secrets: Record<string, string | undefined> = {}, environment: "dev" | "staging" = "staging"): Promise<StackRun> {
    const cfg = parseStackConfig(
        { region: "ap-northeast-1", environment, project: "test", owner: "platform-team", network: { azs: ["ap-northeast-1a", "ap-northeast-1c"] }, data },
        environment,
    );
    return runProgram({
        stack: environment,
        program: () => {
            const main = new aws.Provider("aws-main", { region: "ap-northeast-1" });
            const dr = new aws.Provider("aws-dr", { region: "us-west-2" });
            const tier = new DataTier(
                "data",
                {
                    config: cfg.data,
                    ctx: fakeContext({ namePrefix: `test-${environment}` }) as any,
                    network: fakeNetwork(),
                    drProvider: dr,
                    protect: cfg.protectData,
                    secrets: Object.fromEntries(Object.entries(secrets).map(([k, v]) => [k, v === undefined ? undefined : pulumi.secret(v)])),
                    permissionsBoundaryArn: BOUNDARY,
                },
                { providers: [main] },
            );
            return {
                keys: Object.keys(tier.keys),
                secrets: Object.fromEntries(Object.entries(tier.secrets).map(([k, s]) => [k, s.arn])),
                secretRefs: Object.fromEntries(Object.entries(tier.secrets).map(([k, s]) => [k, { name: s.name ?? null, cluster: s.rdsClusterIdentifier ?? null, kms: s.kmsKeyArn }])),
                streams: Object.fromEntries(Object.entries(tier.tables).map(([k, t]) => [k, t.streamArn ?? null])),
                indexNames: Object.fromEntries(Object.entries(tier.tables).map(([k, t]) => [k, t.indexNames])),
                bucketKms: Object.fromEntries(Object.entries(tier.buckets).map(([k, b]) => [k, b.kmsKeyArn ?? null])),
                database: tier.database ? { secret: tier.database.masterSecretArn, min: tier.database.minCapacity, max: tier.database.maxCapacity, ids: tier.database.instanceIdentifiers } : null,
                cache: tier.cache ? { members: tier.cache.memberClusterIds, port: tier.cache.port } : null,
                logGroups: tier.logGroups.map((g) => g.kind),
            };
        },
    });
}

describe("DataTier component: the DataOutputs contract", () => {
    let run: StackRun;
    before(async () => {
        run = await runTier({ cache: { nodes: 2 } }, { pineconeApiKey: "pc-key" });
    });

    it("exposes the three required key domains", () => {
        assert.deepEqual(run.outputs.keys.slice(0, 3), ["data", "secrets", "messaging"]);
    });
    it("exposes every secret by name, the database secret being the RDS-managed one", () => {
        assert.deepEqual(Object.keys(run.outputs.secrets).sort(), ["bedrock", "database", "jwt", "pinecone", "redisAuth"]);
        assert.match(run.outputs.secrets.database, /:secret:rds!cluster-/);
    });
    it("names every secret it names, and the database secret by its cluster (IAM grants are built from these)", () => {
        // The names are the real Secret names; the RDS-managed secret has none of ours, only its cluster's identifier.
        const secretNames = ofType(run, "aws:secretsmanager/secret:Secret").map((s) => s.inputs.name).sort();
        const named = Object.values(run.outputs.secretRefs as Record<string, { name: string | null }>).map((r) => r.name).filter((n) => n !== null).sort();
        assert.deepEqual(named, secretNames);
        assert.deepEqual(named, ["test-staging-bedrock", "test-staging-jwt", "test-staging-pinecone", "test-staging-redis-auth"]);
        assert.deepEqual(run.outputs.secretRefs.database, { name: null, cluster: one(run, "aws:rds/cluster:Cluster", "data-aurora-cluster").inputs.clusterIdentifier, kms: run.outputs.secretRefs.jwt.kms });
        assert.equal(run.outputs.secretRefs.database.cluster, "test-staging-aurora");
        // Every secret, the RDS-managed one included, is encrypted with the secrets key (compute grants it by alias).
        const secretsKey = one(run, "aws:kms/key:Key", "data-kms-secrets-key").state.arn;
        for (const [k, r] of Object.entries(run.outputs.secretRefs as Record<string, { kms: string }>)) {
            assert.equal(r.kms, secretsKey, k);
        }
        assert.equal(one(run, "aws:rds/cluster:Cluster", "data-aurora-cluster").inputs.masterUserSecretKmsKeyId, secretsKey);
        assert.equal(one(run, "aws:kms/alias:Alias", "data-kms-secrets-alias").inputs.name, "alias/test-staging-secrets");
    });
    it("exposes GSI names for IAM index grants and KMS key ARNs only for SSE-KMS buckets", () => {
        assert.deepEqual(run.outputs.indexNames.documents, ["category-uploadedAt-index"]);
        assert.deepEqual(run.outputs.indexNames.chatSessions, []);
        assert.equal(run.outputs.bucketKms.logs, null);
        assert.equal(run.outputs.bucketKms.staticSite, null);
        assert.match(run.outputs.bucketKms.documents, /^arn:aws:kms:ap-northeast-1:/);
    });
    it("exposes the database capacity and instance ids, the cache members and port", () => {
        assert.deepEqual([run.outputs.database.min, run.outputs.database.max], [0.5, 2]);
        assert.deepEqual(run.outputs.database.ids, ["test-staging-aurora-1", "test-staging-aurora-2"]);
        assert.deepEqual(run.outputs.cache.members, ["test-staging-redis-001", "test-staging-redis-002"]);
        assert.equal(run.outputs.cache.port, 6379);
        assert.deepEqual(run.outputs.logGroups, ["database", "cache", "cache"]);
    });
    it("every IAM role carries the delivery permissions boundary", async () => {
        const withAll = await runTier({ cache: { nodes: 2 }, replication: { enabled: true }, backup: { enabled: true } });
        const roles = ofType(withAll, "aws:iam/role:Role");
        assert.deepEqual(roles.map((r) => r.inputs.name).sort(), ["test-staging-backup", "test-staging-rds-monitoring", "test-staging-s3-replication"]);
        for (const r of roles) {
            assert.equal(r.inputs.permissionsBoundary, BOUNDARY, r.name);
        }
    });
    it("a configured external API key becomes a secret version; an unset one leaves the secret empty", () => {
        const secretIds = Object.fromEntries(ofType(run, "aws:secretsmanager/secret:Secret").map((s) => [s.inputs.name, s.state.id]));
        const versions = ofType(run, "aws:secretsmanager/secretVersion:SecretVersion").map((v) => v.inputs.secretId);
        assert.ok(versions.includes(secretIds["test-staging-pinecone"]));
        assert.ok(!versions.includes(secretIds["test-staging-bedrock"]));
    });
});

describe("DataTier component: flags", () => {
    it("EFS: encrypted with the data key, a mount target per private subnet, NFS from ECS and Lambda only, TLS-only policy, backups on", async () => {
        const run = await runTier({ efs: { enabled: true }, backup: { enabled: true, copyToDr: false }, replication: { enabled: false } });
        const fs = one(run, "aws:efs/fileSystem:FileSystem", "data-efs-fs");
        assert.equal(fs.inputs.encrypted, true);
        assert.equal(fs.inputs.kmsKeyId, one(run, "aws:kms/key:Key", "data-kms-data-key").state.arn);
        assert.deepEqual(ofType(run, "aws:efs/mountTarget:MountTarget").map((m) => m.inputs.subnetId), ["subnet-priv-a", "subnet-priv-c"]);
        assert.deepEqual(
            ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort]),
            [
                ["sg-ecs", 2049],
                ["sg-lambda", 2049],
            ],
        );
        assert.equal(one(run, "aws:efs/backupPolicy:BackupPolicy", "data-efs-backup-policy").inputs.backupPolicy.status, "ENABLED");
        const policy = policyDoc(one(run, "aws:efs/fileSystemPolicy:FileSystemPolicy", "data-efs-policy").inputs.policy);
        assert.deepEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": "false" } });
        assert.equal(one(run, "aws:efs/accessPoint:AccessPoint", "data-efs-ap-app").inputs.rootDirectory.path, "/app");
        // Backup without DR copy: one vault, no copy actions, EFS selected.
        assert.equal(ofType(run, "aws:backup/vault:Vault").length, 1);
        assert.ok((ofType(run, "aws:backup/plan:Plan")[0].inputs.rules as any[]).every((r) => r.copyActions === undefined));
        assert.ok((one(run, "aws:backup/selection:Selection", "data-backup-selection").inputs.resources as string[]).includes(fs.state.arn));
        assert.equal(ofType(run, "aws:kms/key:Key").some((k) => k.region === "us-west-2"), false, "no DR key when nothing is copied to the DR region");
    });

    it("database and cache switched off: no cluster, no replication group, no database/redisAuth secrets", async () => {
        const run = await runTier({ database: { enabled: false }, cache: { enabled: false }, backup: { enabled: false }, replication: { enabled: false } }, {}, "dev");
        assert.equal(ofType(run, "aws:rds/cluster:Cluster").length, 0);
        assert.equal(ofType(run, "aws:elasticache/replicationGroup:ReplicationGroup").length, 0);
        assert.equal(run.outputs.database, null);
        assert.equal(run.outputs.cache, null);
        assert.deepEqual(Object.keys(run.outputs.secrets).sort(), ["bedrock", "jwt", "pinecone"]);
    });

    it("an added table with a stream exposes its stream ARN; a per-table billing override is honoured", async () => {
        const run = await runTier({
            tableDefaults: { billingMode: "provisioned" },
            tables: { auditEvents: { attributes: { eventId: "S" }, partitionKey: "eventId", stream: "NEW_IMAGE", billingMode: "onDemand" } },
            replication: { enabled: false },
            backup: { enabled: false },
        });
        const audit = one(run, "aws:dynamodb/table:Table", "data-tables-audit-events");
        assert.equal(audit.inputs.billingMode, "PAY_PER_REQUEST");
        assert.equal(audit.inputs.streamViewType, "NEW_IMAGE");
        assert.match(run.outputs.streams.auditEvents, /table\/test-staging-audit-events\/stream\//);
        assert.equal(run.outputs.streams.documents, null);
        assert.equal(ofType(run, "aws:appautoscaling/target:Target").filter((t) => String(t.inputs.resourceId).includes("audit-events")).length, 0);
        assert.equal(one(run, "aws:dynamodb/table:Table", "data-tables-documents").inputs.billingMode, "PROVISIONED");
    });
});
