/**
 * Pure helpers of the data tier, table-driven: table validation, lifecycle ordering and rules,
 * bucket and key policies, Aurora capacity facts, autoscaling targets and backup rules.
 */
import { strict as assert } from "assert";
import { checkTable, DEFAULT_TABLES, kebab, scalingTargets, tableName, TableSpec } from "../components/data/tables-spec";
import {
    bucketName,
    checkBucket,
    checkLifecycleRule,
    DEFAULT_BUCKETS,
    lifecycleRules,
    LifecycleRuleSpec,
    logsBucketPolicy,
    replicationRolePolicy,
    s3BucketArn,
    staticSiteBucketPolicy,
    tlsOnlyStatement,
} from "../components/data/buckets-spec";
import { auroraScaleToZeroSupported, checkAcuRange, clusterParameters, finalSnapshotIdentifier, parameterGroupFamily } from "../components/data/database-spec";
import { domainKeyPolicy, MESSAGING_SERVICE_PRINCIPALS } from "../components/data/key-policies";
import { backupRules, BACKUP_SCHEDULES } from "../components/data/backup-spec";

const ACCOUNT = { accountId: "123456789012", partition: "aws", region: "ap-northeast-1" };

describe("data spec: DynamoDB tables", () => {
    it("the built-in tables are the five of seed 000 with their keys, GSIs and TTLs", () => {
        assert.deepEqual(Object.keys(DEFAULT_TABLES), ["documents", "chatSessions", "processingHistory", "prompts", "userSessions"]);
        assert.equal(DEFAULT_TABLES.documents.partitionKey, "documentId");
        assert.deepEqual(DEFAULT_TABLES.documents.gsis.map((g) => [g.name, g.partitionKey, g.sortKey]), [["category-uploadedAt-index", "category", "uploadedAt"]]);
        assert.deepEqual([DEFAULT_TABLES.chatSessions.partitionKey, DEFAULT_TABLES.chatSessions.sortKey], ["sessionId", "messageIndex"]);
        assert.deepEqual(DEFAULT_TABLES.chatSessions.ttl, { attribute: "ttl", days: 30 });
        assert.deepEqual(DEFAULT_TABLES.processingHistory.ttl, { attribute: "ttl", days: 730 });
        assert.deepEqual([DEFAULT_TABLES.prompts.partitionKey, DEFAULT_TABLES.prompts.sortKey], ["promptKey", "version"]);
        assert.deepEqual(DEFAULT_TABLES.userSessions.gsis.map((g) => [g.name, g.partitionKey, g.sortKey]), [["userId-timestamp-index", "userId", "timestamp"]]);
        for (const [name, t] of Object.entries(DEFAULT_TABLES)) {
            assert.deepEqual(checkTable(t), [], `built-in table ${name} must be valid`);
        }
    });

    const base: TableSpec = { attributes: { id: "S", at: "N" }, partitionKey: "id", gsis: [{ name: "by-at", partitionKey: "at", projection: "ALL" }] };
    const cases: Array<{ name: string; table: TableSpec; expect: Array<[string, RegExp]> }> = [
        { name: "valid", table: base, expect: [] },
        { name: "unknown attribute type", table: { ...base, attributes: { id: "S", at: "STRING" } }, expect: [[".attributes.at", /unknown attribute type "STRING"; expected S \(string\), N \(number\) or B \(binary\)/]] },
        {
            name: "GSI on an undeclared attribute",
            table: { ...base, gsis: [{ name: "by-owner", partitionKey: "owner", projection: "ALL" }], attributes: { id: "S" } },
            expect: [[".gsis[0].partitionKey", /GSI by-owner partition key "owner" is not declared in attributes; expected one of id/]],
        },
        { name: "sort key undeclared", table: { ...base, sortKey: "version" }, expect: [[".sortKey", /sort key "version" is not declared/]] },
        { name: "unused attribute", table: { ...base, attributes: { ...base.attributes, extra: "S" } }, expect: [[".attributes.extra", /not used by any key or index/]] },
        { name: "sort key equals partition key", table: { ...base, sortKey: "id" }, expect: [[".sortKey", /must differ/]] },
        {
            name: "duplicate GSI names",
            table: { ...base, gsis: [base.gsis[0], { ...base.gsis[0] }] },
            expect: [[".gsis[1].name", /duplicate index name by-at/]],
        },
        { name: "TTL on a key attribute", table: { ...base, ttl: { attribute: "at", days: 1 } }, expect: [[".ttl.attribute", /must not be a key attribute/]] },
    ];
    for (const c of cases) {
        it(`checkTable: ${c.name}`, () => {
            const problems = checkTable(c.table);
            assert.equal(problems.length, c.expect.length, JSON.stringify(problems));
            c.expect.forEach(([path, re], i) => {
                assert.equal(problems[i].path, path);
                assert.match(problems[i].message, re);
            });
        });
    }

    it("names: kebab-case physical names under the stack prefix", () => {
        assert.equal(kebab("chatSessions"), "chat-sessions");
        assert.equal(kebab("appData"), "app-data");
        assert.equal(tableName("ragplatform-prod", "processingHistory"), "ragplatform-prod-processing-history");
    });

    it("scalingTargets: read and write for the table and each GSI, with the DynamoDB dimensions", () => {
        const targets = scalingTargets("t", DEFAULT_TABLES.documents.gsis, { min: 5, max: 100 }, { min: 2, max: 50 });
        assert.deepEqual(
            targets.map((t) => [t.role, t.resourceId, t.scalableDimension, t.metric, t.min, t.max]),
            [
                ["table-read", "table/t", "dynamodb:table:ReadCapacityUnits", "DynamoDBReadCapacityUtilization", 5, 100],
                ["table-write", "table/t", "dynamodb:table:WriteCapacityUnits", "DynamoDBWriteCapacityUtilization", 2, 50],
                ["index-category-uploadedAt-index-read", "table/t/index/category-uploadedAt-index", "dynamodb:index:ReadCapacityUnits", "DynamoDBReadCapacityUtilization", 5, 100],
                ["index-category-uploadedAt-index-write", "table/t/index/category-uploadedAt-index", "dynamodb:index:WriteCapacityUnits", "DynamoDBWriteCapacityUtilization", 2, 50],
            ],
        );
    });
});

describe("data spec: S3 lifecycle", () => {
    const rule = (transitions: LifecycleRuleSpec["transitions"], expirationDays?: number): LifecycleRuleSpec => ({ id: "r", transitions, ...(expirationDays !== undefined ? { expirationDays } : {}) });
    const cases: Array<{ name: string; rule: LifecycleRuleSpec; expect: RegExp[] }> = [
        { name: "seed 001 archive path 30/90/365", rule: rule({ standardIaDays: 30, glacierDays: 90, deepArchiveDays: 365 }), expect: [] },
        { name: "expiry only", rule: rule({}, 7), expect: [] },
        { name: "Standard-IA before 30 days", rule: rule({ standardIaDays: 10 }), expect: [/STANDARD_IA after at least 30 days, got 10/] },
        { name: "Glacier before Standard-IA", rule: rule({ standardIaDays: 90, glacierDays: 30 }), expect: [/glacierDays >= standardIaDays \+ 30.*got 30 after 90/] },
        { name: "Deep Archive before Glacier", rule: rule({ glacierDays: 180, deepArchiveDays: 90 }), expect: [/deepArchiveDays after the earlier transitions \(> 180\), got 90/, /deepArchiveDays >= glacierDays \+ 90/] },
        { name: "expiration before the last transition", rule: rule({ standardIaDays: 30, glacierDays: 90 }, 60), expect: [/expiration after the last transition \(> 90 days\), got 60/] },
        { name: "both tiering kinds", rule: rule({ intelligentTieringDays: 0, standardIaDays: 30 }), expect: [/either intelligentTieringDays or standardIaDays/] },
        { name: "empty rule", rule: rule({}), expect: [/at least one transition or an expirationDays/] },
    ];
    for (const c of cases) {
        it(`checkLifecycleRule: ${c.name}`, () => {
            const problems = checkLifecycleRule(c.rule, 2);
            assert.equal(problems.length, c.expect.length, JSON.stringify(problems));
            c.expect.forEach((re, i) => {
                assert.match(problems[i].message, re);
                assert.match(problems[i].path, /^\.lifecycle\[2\]/);
            });
        });
    }

    it("the built-in buckets are valid and documents keeps the seed 000 prefixes", () => {
        for (const [key, b] of Object.entries(DEFAULT_BUCKETS)) {
            assert.deepEqual(checkBucket(key, b, "ragplatform", "staging"), [], key);
        }
        assert.deepEqual(DEFAULT_BUCKETS.documents.prefixes, ["legal/", "terms/", "notation/", "general/", "uploads/"]);
        assert.deepEqual(Object.keys(DEFAULT_BUCKETS).sort(), ["appData", "backups", "documents", "logs", "prompts", "staticSite", "temporary"]);
    });

    it("checkBucket: a rule on an unknown prefix, duplicate ids, a replicated logs bucket, a name too long", () => {
        const b = { ...DEFAULT_BUCKETS.documents, lifecycle: [{ id: "x", prefix: "other/", transitions: {}, expirationDays: 3 }, { id: "x", transitions: {}, expirationDays: 3 }] };
        const messages = checkBucket("documents", b, "ragplatform", "prod").map((p) => `${p.path}: ${p.message}`);
        assert.deepEqual(messages, [".lifecycle[0].prefix: prefix other/ is not one of the bucket's prefixes (legal/, terms/, notation/, general/, uploads/)", ".lifecycle[1].id: duplicate rule id x"]);
        assert.match(checkBucket("logs", { ...DEFAULT_BUCKETS.logs, replicate: true }, "p", "s")[0].message, /not replicated/);
        assert.match(checkBucket("aVeryLongBucketKeyThatGoesOnAndOn", DEFAULT_BUCKETS.prompts, "ragplatform", "staging")[0].message, /exceed 63 characters/);
    });

    it("lifecycleRules: transitions in storage-class order, expirations, and the cleanup rule on every bucket", () => {
        const rules = lifecycleRules(DEFAULT_BUCKETS.appData);
        assert.deepEqual(rules[0], {
            id: "archive",
            status: "Enabled",
            filter: {},
            transitions: [
                { days: 30, storageClass: "STANDARD_IA" },
                { days: 90, storageClass: "GLACIER" },
                { days: 365, storageClass: "DEEP_ARCHIVE" },
            ],
        });
        const cleanup = rules[rules.length - 1];
        assert.deepEqual(cleanup.noncurrentVersionExpiration, { noncurrentDays: 90 });
        assert.deepEqual(cleanup.abortIncompleteMultipartUpload, { daysAfterInitiation: 7 });
        const temp = lifecycleRules(DEFAULT_BUCKETS.temporary);
        assert.deepEqual(temp[0].expiration, { days: 7 });
        const docs = lifecycleRules(DEFAULT_BUCKETS.documents);
        assert.deepEqual(
            docs.map((r) => [r.id, r.filter.prefix, r.transitions?.map((t) => t.storageClass).join(">")]),
            [
                ["legal-tiering", "legal/", "INTELLIGENT_TIERING"],
                ["terms-tiering", "terms/", "INTELLIGENT_TIERING"],
                ["notation-tiering", "notation/", "INTELLIGENT_TIERING"],
                ["general-tiering", "general/", "INTELLIGENT_TIERING"],
                ["uploads-archive", "uploads/", "STANDARD_IA>GLACIER>DEEP_ARCHIVE"],
                ["noncurrent-and-uploads-cleanup", undefined, undefined],
            ],
        );
    });

    it("bucketName: globally unique with the account id", () => {
        assert.equal(bucketName("ragplatform-prod", "staticSite", "123456789012"), "ragplatform-prod-static-site-123456789012");
    });
});

describe("data spec: bucket policies", () => {
    const arn = "arn:aws:s3:::logs-bucket";
    const trailArn = "arn:aws:cloudtrail:ap-northeast-1:123456789012:trail/ragplatform-prod-trail";

    it("tlsOnlyStatement denies every non-TLS request on the bucket and its objects", () => {
        assert.deepEqual(tlsOnlyStatement(arn), {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [arn, `${arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
    });

    const cases: Array<{ region: string; principal: Record<string, string> }> = [
        { region: "ap-northeast-1", principal: { AWS: "arn:aws:iam::582318560864:root" } },
        { region: "us-west-2", principal: { AWS: "arn:aws:iam::797873946194:root" } },
        { region: "eu-central-1", principal: { AWS: "arn:aws:iam::054676820928:root" } },
        // Regions opened after August 2022 (e.g. Malaysia, Hyderabad) use the log-delivery principal.
        { region: "ap-southeast-5", principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" } },
        { region: "ap-south-2", principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" } },
    ];
    for (const c of cases) {
        it(`logs bucket: ALB log delivery principal in ${c.region}`, () => {
            const doc = logsBucketPolicy({ bucketArn: arn, region: c.region, accountId: "123456789012", partition: "aws", trailArn, sourceBucketArns: [] });
            const alb = doc.Statement.find((s) => s.Sid === "AlbAccessLogs")!;
            assert.deepEqual(alb.Principal, c.principal);
            assert.equal(alb.Resource, `${arn}/alb/AWSLogs/123456789012/*`);
        });
    }

    it("logs bucket: CloudTrail pinned to the trail ARN under cloudtrail/, S3 access logs under s3-access/ from the named buckets", () => {
        const doc = logsBucketPolicy({ bucketArn: arn, region: "ap-northeast-1", accountId: "123456789012", partition: "aws", trailArn, sourceBucketArns: ["arn:aws:s3:::a", "arn:aws:s3:::b"] });
        assert.deepEqual(doc.Statement.map((s) => s.Sid), ["DenyInsecureTransport", "AlbAccessLogs", "CloudTrailAclCheck", "CloudTrailWrite", "S3ServerAccessLogs"]);
        const write = doc.Statement.find((s) => s.Sid === "CloudTrailWrite")!;
        assert.equal(write.Resource, `${arn}/cloudtrail/AWSLogs/123456789012/*`);
        assert.deepEqual(write.Condition, { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } });
        assert.deepEqual(doc.Statement.find((s) => s.Sid === "CloudTrailAclCheck")!.Condition, { StringEquals: { "aws:SourceArn": trailArn } });
        const s3 = doc.Statement.find((s) => s.Sid === "S3ServerAccessLogs")!;
        assert.deepEqual(s3.Principal, { Service: "logging.s3.amazonaws.com" });
        assert.equal(s3.Resource, `${arn}/s3-access/*`);
        assert.deepEqual(s3.Condition, { ArnLike: { "aws:SourceArn": ["arn:aws:s3:::a", "arn:aws:s3:::b"] }, StringEquals: { "aws:SourceAccount": "123456789012" } });
    });

    it("static-site policy (attached by the edge tier): TLS only plus OAC reads pinned to the distribution", () => {
        const dist = "arn:aws:cloudfront::123456789012:distribution/EABC";
        const doc = staticSiteBucketPolicy("arn:aws:s3:::site", dist);
        assert.equal(doc.Statement[0].Sid, "DenyInsecureTransport");
        assert.deepEqual(doc.Statement[1].Principal, { Service: "cloudfront.amazonaws.com" });
        assert.deepEqual(doc.Statement[1].Action, "s3:GetObject");
        assert.deepEqual(doc.Statement[1].Condition, { StringEquals: { "AWS:SourceArn": dist } });
    });

    it("bucket ARNs come from the physical names (known before the buckets exist)", () => {
        assert.equal(s3BucketArn("aws", "ragplatform-prod-documents-123456789012"), "arn:aws:s3:::ragplatform-prod-documents-123456789012");
        assert.equal(s3BucketArn("aws-cn", "b"), "arn:aws-cn:s3:::b");
    });

    it("replication role: named buckets and keys only, KMS through S3 in each region", () => {
        const doc = replicationRolePolicy({
            pairs: [{ sourceArn: "arn:aws:s3:::src", replicaArn: "arn:aws:s3:::dst" }],
            sourceKeyAlias: "shop-prod-data",
            replicaKeyAlias: "shop-prod-data-dr",
            accountId: "123456789012",
            partition: "aws",
            region: "ap-northeast-1",
            drRegion: "us-west-2",
        });
        for (const s of doc.Statement) {
            const resources = ([] as string[]).concat(s.Resource);
            assert.ok(resources.every((r) => r !== "*" && !r.endsWith(":::*")), `${s.Sid} must name its resources`);
            assert.ok(([] as string[]).concat(s.Action).every((a) => !a.endsWith(":*")), `${s.Sid} must name its actions`);
        }
        // Key ids are random (unknown in the first preview): `key/*` of the account and region, narrowed to the key by alias.
        const decrypt = doc.Statement.find((s) => s.Sid === "DecryptSource")!;
        assert.equal(decrypt.Resource, "arn:aws:kms:ap-northeast-1:123456789012:key/*");
        assert.deepEqual(decrypt.Condition, {
            StringEquals: { "kms:ViaService": "s3.ap-northeast-1.amazonaws.com" },
            "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/shop-prod-data"] },
        });
        const encrypt = doc.Statement.find((s) => s.Sid === "EncryptReplica")!;
        assert.equal(encrypt.Resource, "arn:aws:kms:us-west-2:123456789012:key/*");
        assert.deepEqual(encrypt.Condition, {
            StringEquals: { "kms:ViaService": "s3.us-west-2.amazonaws.com" },
            "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/shop-prod-data-dr"] },
        });
        assert.deepEqual(doc.Statement.find((s) => s.Sid === "ReadReplicationConfiguration")!.Resource, ["arn:aws:s3:::src"]);
        assert.deepEqual(doc.Statement.find((s) => s.Sid === "WriteReplicas")!.Resource, ["arn:aws:s3:::dst/*"]);
    });
});

describe("data spec: key policies", () => {
    it("every domain key: the account root administers (and can always fix the policy) but cannot use the key directly", () => {
        for (const d of ["data", "secrets", "messaging", "dr"] as const) {
            const root = domainKeyPolicy(d, ACCOUNT).Statement[0];
            assert.equal(root.Sid, "AccountRootAdministersKey");
            const actions = root.Action as string[];
            assert.ok(actions.includes("kms:Put*") && actions.includes("kms:ScheduleKeyDeletion"), d);
            for (const use of ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*", "kms:CreateGrant"]) {
                assert.ok(!actions.includes(use), `${d}: root must not hold ${use}`);
            }
        }
    });
    it("data and secrets keys: account principals only through the named services in the region", () => {
        const data = domainKeyPolicy("data", ACCOUNT).Statement[1];
        assert.deepEqual((data.Condition!.StringEquals as Record<string, string[]>)["kms:ViaService"], [
            "s3.ap-northeast-1.amazonaws.com",
            "dynamodb.ap-northeast-1.amazonaws.com",
            "rds.ap-northeast-1.amazonaws.com",
            "elasticache.ap-northeast-1.amazonaws.com",
            "backup.ap-northeast-1.amazonaws.com",
            "elasticfilesystem.ap-northeast-1.amazonaws.com",
        ]);
        const secrets = domainKeyPolicy("secrets", ACCOUNT).Statement;
        assert.equal(secrets.length, 2);
        assert.deepEqual((secrets[1].Condition!.StringEquals as Record<string, string[]>)["kms:ViaService"], ["secretsmanager.ap-northeast-1.amazonaws.com", "rds.ap-northeast-1.amazonaws.com"]);
        assert.ok(!JSON.stringify(domainKeyPolicy("data", ACCOUNT)).includes('"Service"'), "no service principal may use the data key directly");
    });
    it("messaging key: CloudWatch, EventBridge, SNS, SQS and S3 may encrypt/decrypt, pinned to the account", () => {
        const st = domainKeyPolicy("messaging", ACCOUNT).Statement.find((s) => s.Sid === "AwsServicesPublishToEncryptedTopicsAndQueues")!;
        assert.deepEqual(st.Principal, { Service: [...MESSAGING_SERVICE_PRINCIPALS] });
        for (const svc of ["cloudwatch.amazonaws.com", "events.amazonaws.com", "sns.amazonaws.com", "sqs.amazonaws.com"]) {
            assert.ok((st.Principal as { Service: string[] }).Service.includes(svc), svc);
        }
        assert.deepEqual(st.Action, ["kms:GenerateDataKey*", "kms:Decrypt"]);
        assert.deepEqual(st.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
    });
});

describe("data spec: Aurora", () => {
    const versions: Array<[string, boolean]> = [
        ["16.6", true],
        ["16.3", true],
        ["16.2", false],
        ["15.7", true],
        ["15.6", false],
        ["14.12", true],
        ["14.11", false],
        ["13.15", true],
        ["12.22", false],
        ["17.4", true],
    ];
    for (const [v, ok] of versions) {
        it(`scale to zero on aurora-postgresql ${v}: ${ok}`, () => assert.equal(auroraScaleToZeroSupported(v), ok));
    }
    it("ACU min > max is rejected, min <= max accepted", () => {
        assert.deepEqual(checkAcuRange(0.5, 2), []);
        assert.deepEqual(checkAcuRange(2, 2), []);
        assert.match(checkAcuRange(4, 2)[0], /ACU min \(4\) must not exceed max \(2\)/);
    });
    it("parameters force TLS and log slow statements; identifiers are stable", () => {
        const p = clusterParameters(500);
        assert.deepEqual(p.find((x) => x.name === "rds.force_ssl"), { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" });
        assert.equal(p.find((x) => x.name === "log_min_duration_statement")!.value, "500");
        assert.equal(parameterGroupFamily("16.6"), "aurora-postgresql16");
        assert.equal(finalSnapshotIdentifier("ragplatform-prod-aurora"), "ragplatform-prod-aurora-final");
    });
});

describe("data spec: AWS Backup rules", () => {
    it("daily and weekly rules with retention, copies to the DR vault only when asked", () => {
        const cfg = { dailyRetentionDays: 35, weeklyRetentionDays: 90, copyToDr: true, drRetentionDays: 30 };
        const rules = backupRules(cfg, "vault", "arn:aws:backup:us-west-2:123456789012:backup-vault:dr");
        assert.deepEqual(rules.map((r) => [r.ruleName, r.schedule, r.lifecycle.deleteAfter]), [
            ["daily", BACKUP_SCHEDULES.daily, 35],
            ["weekly", "cron(0 3 ? * SUN *)", 90],
        ]);
        assert.deepEqual(rules[0].copyActions, [{ destinationVaultArn: "arn:aws:backup:us-west-2:123456789012:backup-vault:dr", lifecycle: { deleteAfter: 30 } }]);
        assert.equal(backupRules({ ...cfg, copyToDr: false }, "vault", "arn")[0].copyActions, undefined);
        assert.equal(backupRules(cfg, "vault", undefined)[1].copyActions, undefined);
    });
});
