/**
 * The data tier of each stack file end to end (the whole program under mocks): capacities,
 * instance counts, retention, protection, billing modes, lifecycle, replication only in prod,
 * TLS-only bucket policies, KMS everywhere.
 */
import { strict as assert } from "assert";
import { one, ofType, policyDoc, RecordedResource, stackRun, STACKS, StackRun } from "./harness";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mocks";
import { ALLOWED_MANAGED_POLICIES } from "../policypack/allowlists";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

const T = {
    cluster: "aws:rds/cluster:Cluster",
    instance: "aws:rds/clusterInstance:ClusterInstance",
    clusterParams: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    redis: "aws:elasticache/replicationGroup:ReplicationGroup",
    table: "aws:dynamodb/table:Table",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    bucket: "aws:s3/bucket:Bucket",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    logging: "aws:s3/bucketLogging:BucketLogging",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    secret: "aws:secretsmanager/secret:Secret",
    secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
    key: "aws:kms/key:Key",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    vault: "aws:backup/vault:Vault",
    plan: "aws:backup/plan:Plan",
    selection: "aws:backup/selection:Selection",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
};

interface Expected {
    acu: [number, number];
    autoPause?: number;
    instances: number;
    backupDays: number;
    skipFinalSnapshot: boolean;
    protect: boolean;
    monitoringInterval: number;
    redisNodes: number;
    redisSnapshots: number;
    billing: "PAY_PER_REQUEST" | "PROVISIONED";
    replicas: string[];
    backupPlan: boolean;
}

/** Per stack file: seed 001 retention 7/3/1 and 7/1/0, seed 002 ACU 0.5-2, seed 000 billing modes. */
const EXPECTED: Record<string, Expected> = {
    dev: { acu: [0, 1], autoPause: 600, instances: 1, backupDays: 1, skipFinalSnapshot: true, protect: false, monitoringInterval: 0, redisNodes: 1, redisSnapshots: 0, billing: "PAY_PER_REQUEST", replicas: [], backupPlan: false },
    staging: { acu: [0.5, 2], instances: 1, backupDays: 3, skipFinalSnapshot: false, protect: true, monitoringInterval: 60, redisNodes: 1, redisSnapshots: 1, billing: "PAY_PER_REQUEST", replicas: [], backupPlan: false },
    prod: {
        acu: [0.5, 2],
        instances: 2,
        backupDays: 7,
        skipFinalSnapshot: false,
        protect: true,
        monitoringInterval: 60,
        redisNodes: 2,
        redisSnapshots: 7,
        billing: "PROVISIONED",
        replicas: ["appData", "backups", "documents", "prompts"],
        backupPlan: true,
    },
};

const STATEFUL = [T.cluster, T.instance, T.redis, T.table, T.bucket, T.secret, T.key, T.vault];

function dataTier(run: StackRun): RecordedResource[] {
    return run.resources.filter((r) => r.urn.includes("platform:data:DataTier"));
}
function inData(run: StackRun, type: string): RecordedResource[] {
    return dataTier(run).filter((r) => r.type === type);
}
function keyArn(run: StackRun, domain: string): string {
    return one(run, T.key, `data-kms-${domain}-key`).state.arn;
}
/** The bucket resource whose id a sub-resource's `bucket` input names. */
function bucketOf(run: StackRun, sub: RecordedResource): RecordedResource {
    const b = ofType(run, T.bucket).find((x) => x.state.id === sub.inputs.bucket);
    assert.ok(b, `no bucket with id ${sub.inputs.bucket}`);
    return b!;
}

for (const stack of STACKS) {
    const want = EXPECTED[stack];
    describe(`data tier end to end: ${stack}`, () => {
        let run: StackRun;
        before(async () => {
            run = await stackRun(stack);
        });

        it("keys: data, secrets and messaging CMKs with rotation (+ a DR-region key only when something is copied there)", () => {
            const keys = inData(run, T.key);
            for (const k of keys) {
                assert.equal(k.inputs.enableKeyRotation, true, k.name);
                assert.equal(k.inputs.deletionWindowInDays, 30, k.name);
            }
            const names = keys.map((k) => k.name).sort();
            const expected = ["data-kms-data-key", "data-kms-messaging-key", "data-kms-secrets-key", ...(want.replicas.length > 0 ? ["data-kms-dr-key"] : [])].sort();
            assert.deepEqual(names, expected);
            if (want.replicas.length > 0) {
                assert.equal(one(run, T.key, "data-kms-dr-key").region, "us-west-2");
            }
        });

        it(`Aurora Serverless v2: ${want.acu[0]}-${want.acu[1]} ACU, ${want.instances} instance(s), backups ${want.backupDays} days 03:00-04:00 UTC, KMS, managed master secret`, () => {
            const c = one(run, T.cluster, "data-aurora-cluster");
            assert.equal(c.inputs.engine, "aurora-postgresql");
            assert.equal(c.inputs.engineMode, "provisioned");
            assert.deepEqual(c.inputs.serverlessv2ScalingConfiguration, {
                minCapacity: want.acu[0],
                maxCapacity: want.acu[1],
                ...(want.autoPause !== undefined ? { secondsUntilAutoPause: want.autoPause } : {}),
            });
            assert.equal(c.inputs.backupRetentionPeriod, want.backupDays);
            assert.equal(c.inputs.preferredBackupWindow, "03:00-04:00");
            assert.equal(c.inputs.storageEncrypted, true);
            assert.equal(c.inputs.kmsKeyId, keyArn(run, "data"));
            assert.equal(c.inputs.manageMasterUserPassword, true);
            assert.equal(c.inputs.masterUserSecretKmsKeyId, keyArn(run, "secrets"));
            assert.equal(c.inputs.masterPassword, undefined);
            assert.equal(c.inputs.iamDatabaseAuthenticationEnabled, true);
            assert.deepEqual(c.inputs.enabledCloudwatchLogsExports, ["postgresql"]);
            assert.equal(c.inputs.availabilityZones, undefined, "availabilityZones must stay unset (perpetual diff)");
            assert.equal(c.inputs.deletionProtection, want.protect);
            assert.equal(c.inputs.skipFinalSnapshot, want.skipFinalSnapshot);
            assert.equal(c.inputs.finalSnapshotIdentifier, want.skipFinalSnapshot ? undefined : `ragplatform-${stack}-aurora-final`);
            const rdsSg = one(run, "aws:ec2/securityGroup:SecurityGroup", "network-sg-rds").state.id;
            assert.deepEqual(c.inputs.vpcSecurityGroupIds, [rdsSg]);
            const instances = inData(run, T.instance);
            assert.equal(instances.length, want.instances);
            for (const i of instances) {
                assert.equal(i.inputs.instanceClass, "db.serverless");
                assert.equal(i.inputs.performanceInsightsEnabled, true);
                assert.equal(i.inputs.performanceInsightsKmsKeyId, keyArn(run, "data"));
                assert.equal(i.inputs.publiclyAccessible, false);
                assert.equal(i.inputs.monitoringInterval, want.monitoringInterval);
            }
            const params = one(run, T.clusterParams, "data-aurora-cluster-params").inputs.parameters as { name: string; value: string }[];
            assert.equal(params.find((p) => p.name === "rds.force_ssl")?.value, "1");
        });

        it("the Aurora subnet group spans the data subnets", () => {
            const dataSubnets = ofType(run, "aws:ec2/subnet:Subnet").filter((s) => s.inputs.tags?.Tier === "data").map((s) => s.state.id).sort();
            assert.deepEqual([...one(run, "aws:rds/subnetGroup:SubnetGroup", "data-aurora-subnets").inputs.subnetIds].sort(), dataSubnets);
            assert.deepEqual([...one(run, "aws:elasticache/subnetGroup:SubnetGroup", "data-redis-subnets").inputs.subnetIds].sort(), dataSubnets);
        });

        it(`Redis: ${want.redisNodes} node(s), failover ${want.redisNodes >= 2}, snapshots ${want.redisSnapshots} days, encrypted at rest and in transit, AUTH, logs to two KMS log groups`, () => {
            const r = one(run, T.redis, "data-redis-group");
            assert.equal(r.inputs.numCacheClusters, want.redisNodes);
            assert.equal(r.inputs.automaticFailoverEnabled, want.redisNodes >= 2);
            assert.equal(r.inputs.multiAzEnabled, want.redisNodes >= 2);
            assert.equal(r.inputs.snapshotRetentionLimit, want.redisSnapshots);
            assert.equal(r.inputs.atRestEncryptionEnabled, true);
            assert.equal(r.inputs.kmsKeyId, keyArn(run, "data"));
            assert.equal(r.inputs.transitEncryptionEnabled, true);
            // Recorded as a Pulumi secret (the RandomPassword result), never as plain text.
            const token = r.inputs.authToken;
            assert.equal(token?.[specialSigKey], specialSecretSig, `authToken must be a secret, got ${JSON.stringify(token)}`);
            assert.ok(String(token.value).length >= 16);
            assert.ok(r.options.additionalSecretOutputs.includes("authToken"));
            const cacheSg = one(run, "aws:ec2/securityGroup:SecurityGroup", "network-sg-cache").state.id;
            assert.deepEqual(r.inputs.securityGroupIds, [cacheSg]);
            const destinations = (r.inputs.logDeliveryConfigurations as any[]).map((l) => [l.logType, l.destination]);
            assert.deepEqual(destinations.map(([t]) => t), ["slow-log", "engine-log"]);
            assert.notEqual(destinations[0][1], destinations[1][1]);
        });

        it("every data-tier log group is KMS-encrypted with the logs key and has a retention", () => {
            const logsKey = one(run, T.key, "logs-key-key").state.arn;
            const groups = inData(run, T.logGroup);
            assert.equal(groups.length, 3);
            for (const g of groups) {
                assert.equal(g.inputs.kmsKeyId, logsKey, g.name);
                assert.ok(g.inputs.retentionInDays > 0, g.name);
            }
        });

        it(`DynamoDB: the five seed tables, ${want.billing}, SSE-KMS with the data key, PITR, deletion protection ${want.protect}`, () => {
            const tables = inData(run, T.table);
            assert.deepEqual(tables.map((t) => t.inputs.name).sort(), ["chat-sessions", "documents", "processing-history", "prompts", "user-sessions"].map((n) => `ragplatform-${stack}-${n}`).sort());
            for (const t of tables) {
                assert.equal(t.inputs.billingMode, want.billing, t.name);
                assert.deepEqual(t.inputs.serverSideEncryption, { enabled: true, kmsKeyArn: keyArn(run, "data") });
                assert.deepEqual(t.inputs.pointInTimeRecovery, { enabled: true });
                assert.equal(t.inputs.deletionProtectionEnabled, want.protect);
            }
            const chat = one(run, T.table, "data-tables-chat-sessions");
            assert.deepEqual(chat.inputs.ttl, { attributeName: "ttl", enabled: true });
            assert.equal(chat.inputs.hashKey, "sessionId");
            assert.equal(chat.inputs.rangeKey, "messageIndex");
            const docs = one(run, T.table, "data-tables-documents");
            assert.deepEqual(docs.inputs.globalSecondaryIndexes.map((g: any) => [g.name, g.keySchemas.map((k: any) => `${k.attributeName}:${k.keyType}`)]), [
                ["category-uploadedAt-index", ["category:HASH", "uploadedAt:RANGE"]],
            ]);
        });

        it(want.billing === "PROVISIONED" ? "provisioned tables and GSIs autoscale read and write by target tracking" : "on-demand tables have no autoscaling", () => {
            const targets = inData(run, T.scalingTarget);
            const policies = inData(run, T.scalingPolicy);
            if (want.billing === "PAY_PER_REQUEST") {
                assert.equal(targets.length + policies.length, 0);
                return;
            }
            // 5 tables + 2 GSIs, read and write each.
            assert.equal(targets.length, 14);
            assert.equal(policies.length, 14);
            assert.ok(targets.some((t) => t.inputs.resourceId === `table/ragplatform-${stack}-user-sessions/index/userId-timestamp-index` && t.inputs.scalableDimension === "dynamodb:index:WriteCapacityUnits"));
            for (const p of policies) {
                assert.equal(p.inputs.policyType, "TargetTrackingScaling");
                assert.equal(p.inputs.targetTrackingScalingPolicyConfiguration.targetValue, 70);
            }
            const docs = one(run, T.table, "data-tables-documents");
            assert.ok(docs.options.ignoreChanges.includes("readCapacity"), "autoscaling owns the capacity");
        });

        it("buckets: versioned, public access blocked, encrypted (KMS + bucket keys for data), lifecycle, access logs to the logs bucket", () => {
            const primaries = inData(run, T.bucket).filter((b) => b.region === "ap-northeast-1");
            assert.equal(primaries.length, 7);
            const logs = one(run, T.bucket, "data-buckets-logs");
            for (const b of primaries) {
                const subs = (type: string) => inData(run, type).filter((x) => x.inputs.bucket === b.state.id);
                assert.deepEqual(subs(T.versioning).map((v) => v.inputs.versioningConfiguration.status), ["Enabled"], b.name);
                assert.deepEqual(
                    subs(T.pab).map((p) => [p.inputs.blockPublicAcls, p.inputs.blockPublicPolicy, p.inputs.ignorePublicAcls, p.inputs.restrictPublicBuckets]),
                    [[true, true, true, true]],
                    b.name,
                );
                const rule = subs(T.sse)[0].inputs.rules[0];
                const kind = b.inputs.tags.BucketKind;
                if (kind === "data") {
                    assert.deepEqual(rule, { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn(run, "data") }, bucketKeyEnabled: true }, b.name);
                } else {
                    assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "AES256", `${b.name}: ALB logs and OAC website buckets use SSE-S3`);
                }
                assert.equal(subs(T.ownership)[0].inputs.rule.objectOwnership, kind === "logs" ? "BucketOwnerPreferred" : "BucketOwnerEnforced", b.name);
                const lifecycle = subs(T.lifecycle);
                assert.equal(lifecycle.length, 1, b.name);
                assert.ok(lifecycle[0].inputs.rules.some((r: any) => r.noncurrentVersionExpiration?.noncurrentDays > 0), `${b.name}: noncurrent versions expire`);
                if (b !== logs) {
                    assert.deepEqual(subs(T.logging).map((l) => [l.inputs.targetBucket, l.inputs.targetPrefix.startsWith("s3-access/")]), [[logs.state.id, true]], b.name);
                }
                assert.equal(b.inputs.forceDestroy, !want.protect);
            }
            const appData = inData(run, T.lifecycle).find((l) => bucketOf(run, l).name === "data-buckets-app-data")!;
            assert.deepEqual(appData.inputs.rules[0].transitions, [
                { days: 30, storageClass: "STANDARD_IA" },
                { days: 90, storageClass: "GLACIER" },
                { days: 365, storageClass: "DEEP_ARCHIVE" },
            ]);
            const temp = inData(run, T.lifecycle).find((l) => bucketOf(run, l).name === "data-buckets-temporary")!;
            assert.deepEqual(temp.inputs.rules[0].expiration, { days: 7 });
        });

        it("every bucket policy of the tier denies non-TLS requests; the static-site policy is left to the edge tier", () => {
            const policies = inData(run, T.policy);
            assert.equal(policies.length, 6 + want.replicas.length);
            for (const p of policies) {
                const doc = policyDoc(p.inputs.policy);
                const arn = bucketOf(run, p).state.arn;
                assert.deepEqual(
                    doc.Statement.find((s) => s.Sid === "DenyInsecureTransport"),
                    { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
                    p.name,
                );
            }
            const site = one(run, T.bucket, "data-buckets-static-site");
            assert.ok(!policies.some((p) => p.inputs.bucket === site.state.id));
        });

        it("the logs bucket lets ELB (ap-northeast-1 account), the stack's CloudTrail trail and S3 access logging write under their prefixes", () => {
            const doc = policyDoc(one(run, T.policy, "data-buckets-logs-policy").inputs.policy);
            const arn = one(run, T.bucket, "data-buckets-logs").state.arn;
            const sid = (s: string) => doc.Statement.find((x) => x.Sid === s)!;
            assert.deepEqual(sid("AlbAccessLogs").Principal, { AWS: "arn:aws:iam::582318560864:root" });
            assert.equal(sid("AlbAccessLogs").Resource, `${arn}/alb/AWSLogs/${MOCK_ACCOUNT_ID}/*`);
            const trail = `arn:aws:cloudtrail:ap-northeast-1:${MOCK_ACCOUNT_ID}:trail/ragplatform-${stack}-trail`;
            assert.equal(sid("CloudTrailWrite").Condition!.StringEquals["aws:SourceArn"], trail);
            assert.equal(sid("CloudTrailWrite").Resource, `${arn}/cloudtrail/AWSLogs/${MOCK_ACCOUNT_ID}/*`);
            const sources = sid("S3ServerAccessLogs").Condition!.ArnLike["aws:SourceArn"] as string[];
            assert.equal(sources.length, 6);
        });

        it(want.replicas.length > 0 ? "prod replicates the data buckets to us-west-2 with the DR key and a least-privilege role" : "no cross-region replication outside prod", () => {
            const replicas = inData(run, T.bucket).filter((b) => b.region === "us-west-2");
            const configs = inData(run, T.replication);
            assert.deepEqual(replicas.map((r) => r.inputs.tags.ReplicaOf).sort(), want.replicas);
            assert.equal(configs.length, want.replicas.length);
            if (want.replicas.length === 0) {
                assert.equal(inData(run, T.rolePolicy).length, 0);
                return;
            }
            const drKey = one(run, T.key, "data-kms-dr-key").state.arn;
            assert.match(drKey, /^arn:aws:kms:us-west-2:/);
            for (const r of replicas) {
                const sse = inData(run, T.sse).find((s) => s.inputs.bucket === r.state.id)!;
                assert.equal(sse.inputs.rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId, drKey);
                assert.equal(sse.region, "us-west-2");
                assert.ok(inData(run, T.versioning).some((v) => v.inputs.bucket === r.state.id && v.region === "us-west-2"));
            }
            for (const c of configs) {
                const rule = c.inputs.rules[0];
                assert.equal(rule.destination.encryptionConfiguration.replicaKmsKeyId, drKey);
                assert.ok(replicas.some((r) => r.state.arn === rule.destination.bucket));
                assert.deepEqual(rule.sourceSelectionCriteria, { sseKmsEncryptedObjects: { status: "Enabled" } });
            }
            const policy = policyDoc(one(run, T.rolePolicy, "data-buckets-replication-policy").inputs.policy);
            for (const s of policy.Statement) {
                assert.ok(([] as string[]).concat(s.Resource).every((r) => r !== "*"), s.Sid);
            }
            // KMS statements name `key/*` narrowed by alias: the aliases must be the ones the keys really get.
            const aliasOf = (domain: string) => one(run, "aws:kms/alias:Alias", `data-kms-${domain}-alias`).inputs.name;
            const sid = (x: string) => policy.Statement.find((s) => s.Sid === x)!;
            assert.deepEqual(sid("DecryptSource").Condition!["ForAnyValue:StringEquals"], { "kms:ResourceAliases": [aliasOf("data")] });
            assert.deepEqual(sid("EncryptReplica").Condition!["ForAnyValue:StringEquals"], { "kms:ResourceAliases": [aliasOf("dr")] });
            assert.equal(sid("EncryptReplica").Resource, `arn:aws:kms:us-west-2:${MOCK_ACCOUNT_ID}:key/*`);
            // Bucket ARNs in the policy are the buckets' real ARNs (built from their names).
            assert.deepEqual(
                [...sid("WriteReplicas").Resource].sort(),
                replicas.map((r) => `${r.state.arn}/*`).sort(),
            );
        });

        it("secrets: database (RDS-managed), redisAuth, jwt, pinecone, bedrock, all with the secrets key", () => {
            const secrets = inData(run, T.secret);
            assert.deepEqual(secrets.map((s) => s.inputs.name).sort(), ["bedrock", "jwt", "pinecone", "redis-auth"].map((n) => `ragplatform-${stack}-${n}`));
            for (const s of secrets) {
                assert.equal(s.inputs.kmsKeyId, keyArn(run, "secrets"), s.name);
            }
            // jwt and the Redis token have values; the external API keys wait for `config set --secret`.
            const versioned = inData(run, T.secretVersion).map((v) => secrets.find((s) => s.state.id === v.inputs.secretId)!.inputs.name).sort();
            assert.deepEqual(versioned, [`ragplatform-${stack}-jwt`, `ragplatform-${stack}-redis-auth`]);
            assert.match(run.outputs.databaseSecretArn, /^arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster-/);
            assert.deepEqual(Object.keys(run.outputs.secretArns).sort(), ["bedrock", "database", "jwt", "pinecone", "redisAuth"]);
            assert.equal(run.outputs.auroraClusterIdentifier, `ragplatform-${stack}-aurora`);
            assert.equal(run.outputs.redisReplicationGroupId, `ragplatform-${stack}-redis`);
            assert.equal(Object.keys(run.outputs.dynamodbTableNames).length, 5);
            assert.equal(run.outputs.backupVaultName, want.backupPlan ? `ragplatform-${stack}-vault` : null);
        });

        it(want.backupPlan ? "AWS Backup: daily + weekly rules copied to a DR vault, Aurora and every table selected" : "no AWS Backup plan", () => {
            const plans = inData(run, T.plan);
            if (!want.backupPlan) {
                assert.equal(plans.length + inData(run, T.vault).length, 0);
                return;
            }
            const vault = one(run, T.vault, "data-backup-vault");
            const drVault = one(run, T.vault, "data-backup-dr-vault");
            assert.equal(vault.inputs.kmsKeyArn, keyArn(run, "data"));
            assert.equal(drVault.region, "us-west-2");
            assert.equal(drVault.inputs.kmsKeyArn, one(run, T.key, "data-kms-dr-key").state.arn);
            const rules = plans[0].inputs.rules as any[];
            assert.deepEqual(rules.map((r) => r.ruleName), ["daily", "weekly"]);
            for (const r of rules) {
                assert.equal(r.copyActions[0].destinationVaultArn, drVault.state.arn);
            }
            const selected = one(run, T.selection, "data-backup-selection").inputs.resources as string[];
            assert.ok(selected.includes(one(run, T.cluster, "data-aurora-cluster").state.arn));
            for (const t of inData(run, T.table)) {
                assert.ok(selected.includes(t.state.arn), t.name);
            }
            const attached = inData(run, T.attachment).map((a) => a.inputs.policyArn).sort();
            assert.ok(attached.includes("arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"));
            assert.ok(attached.includes("arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"));
        });

        it(want.protect ? "every stateful resource is protected and retained on delete" : "dev: nothing is protected (disposable stack)", () => {
            const stateful = dataTier(run).filter((r) => STATEFUL.includes(r.type));
            assert.ok(stateful.length >= 20);
            for (const r of stateful) {
                assert.equal(r.options.protect, want.protect, `${r.type} ${r.name}`);
                assert.equal(r.options.retainOnDelete, want.protect, `${r.type} ${r.name}`);
            }
        });

        it("IAM roles are named under the stack prefix (the deploy role only creates <prefix>-* roles) and attach only allowlisted managed policies", () => {
            const roles = inData(run, T.role);
            assert.equal(roles.length, (want.monitoringInterval > 0 ? 1 : 0) + (want.backupPlan ? 1 : 0) + (want.replicas.length > 0 ? 1 : 0));
            for (const r of roles) {
                assert.match(r.inputs.name, new RegExp(`^ragplatform-${stack}-`), r.name);
            }
            const allowed = new Set(ALLOWED_MANAGED_POLICIES);
            for (const a of inData(run, T.attachment)) {
                assert.ok(allowed.has(a.inputs.policyArn), a.inputs.policyArn);
            }
        });

        it("every AWS resource of the tier goes through an explicit provider (main or DR)", () => {
            for (const r of dataTier(run).filter((x) => x.custom && x.type.startsWith("aws:"))) {
                assert.ok(r.provider && /::(aws-main|aws-dr)$/.test(r.provider), `${r.type} ${r.name}: ${r.provider}`);
            }
        });
    });
}
