/**
 * The IAM statement builders (components/compute/iam.ts): exact actions and resources for every
 * kind of declared access, and the guard that keeps `*` to UNSCOPABLE_ACTIONS.
 */
import { strict as assert } from "assert";
import { UNSCOPABLE_ACTIONS } from "../policypack/allowlists";
import * as iam from "../components/compute/iam";
import * as naming from "../components/compute/naming";
import { secretGrant, SecretIdentity } from "../components/compute/access";

const facts = { partition: "aws", region: "ap-northeast-1", accountId: "123456789012" };
const T = (n: string) => `arn:aws:dynamodb:ap-northeast-1:123456789012:table/${n}`;
const B = (n: string) => `arn:aws:s3:::${n}`;
const DATA_KEY = "arn:aws:kms:ap-northeast-1:123456789012:key/data";
const SECRETS_KEY = "arn:aws:kms:ap-northeast-1:123456789012:key/secrets";
const MSG_KEY = "arn:aws:kms:ap-northeast-1:123456789012:key/messaging";
/** The data tier's secrets key by alias (what compute grants, known at first preview). */
const SECRETS_ALIAS = "arn:aws:kms:ap-northeast-1:123456789012:alias/shop-dev-secrets";
const SECRET = (name: string) => `arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:${name}-??????`;
const RDS_SECRETS = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster-*";
const CLUSTER = "arn:aws:rds:ap-northeast-1:123456789012:cluster:shop-dev-aurora";
const byTag = { StringEquals: { "secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn": CLUSTER } };
const secretsKeyByAlias = {
    Resource: ["arn:aws:kms:ap-northeast-1:123456789012:key/*"],
    Condition: { StringEquals: { "kms:ViaService": ["secretsmanager.ap-northeast-1.amazonaws.com"] }, "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/shop-dev-secrets"] } },
};
const via = (...s: string[]) => ({ StringEquals: { "kms:ViaService": s.map((x) => `${x}.ap-northeast-1.amazonaws.com`) } });
const access = (a: Partial<iam.ResolvedAccess>): iam.ResolvedAccess => ({ ...iam.EMPTY_ACCESS, ...a });

interface Case {
    title: string;
    access: iam.ResolvedAccess;
    expected: iam.Statement[];
}

const cases: Case[] = [
    {
        title: "table read: item reads on the table and its indexes, Decrypt via DynamoDB",
        access: access({ tables: [{ key: "documents", arn: T("docs"), mode: "read" }], dataKeyArn: DATA_KEY }),
        expected: [
            { Sid: "TableDocumentsRead", Effect: "Allow", Action: ["dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:Query"], Resource: [T("docs"), `${T("docs")}/index/*`] },
            { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [DATA_KEY], Condition: via("dynamodb") },
        ],
    },
    {
        title: "table write: item writes only",
        access: access({ tables: [{ key: "processingHistory", arn: T("hist"), mode: "write" }] }),
        expected: [{ Sid: "TableProcessingHistoryWrite", Effect: "Allow", Action: ["dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], Resource: [T("hist"), `${T("hist")}/index/*`] }],
    },
    {
        title: "table readWrite: both sets, GenerateDataKey on the data key",
        access: access({ tables: [{ key: "chatSessions", arn: T("chat"), mode: "readWrite" }], dataKeyArn: DATA_KEY }),
        expected: [
            {
                Sid: "TableChatSessionsReadWrite",
                Effect: "Allow",
                Action: ["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
                Resource: [T("chat"), `${T("chat")}/index/*`],
            },
            { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [DATA_KEY], Condition: via("dynamodb") },
        ],
    },
    {
        title: "bucket read on a prefix: GetObject on prefix/*, ListBucket limited to the prefix",
        access: access({ buckets: [{ key: "documents", arn: B("docs"), mode: "read", prefix: "uploads/", kmsKeyArn: DATA_KEY }] }),
        expected: [
            { Sid: "BucketDocumentsRead", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${B("docs")}/uploads/*`] },
            { Sid: "BucketDocumentsList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [B("docs")], Condition: { StringLike: { "s3:prefix": ["uploads/*"] } } },
            { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [DATA_KEY], Condition: via("s3") },
        ],
    },
    {
        title: "bucket write on a prefix: PutObject (+ multipart abort), no list, no read",
        access: access({ buckets: [{ key: "appData", arn: B("app"), mode: "write", prefix: "reports/", kmsKeyArn: DATA_KEY }] }),
        expected: [
            { Sid: "BucketAppDataWrite", Effect: "Allow", Action: ["s3:AbortMultipartUpload", "s3:PutObject"], Resource: [`${B("app")}/reports/*`] },
            { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [DATA_KEY], Condition: via("s3") },
        ],
    },
    {
        title: "bucket readWrite on the whole bucket of an SSE-S3 bucket: no KMS statement",
        access: access({ buckets: [{ key: "temporary", arn: B("tmp"), mode: "readWrite", prefix: "" }] }),
        expected: [
            { Sid: "BucketTemporaryReadWrite", Effect: "Allow", Action: ["s3:AbortMultipartUpload", "s3:GetObject", "s3:PutObject"], Resource: [`${B("tmp")}/*`] },
            { Sid: "BucketTemporaryList", Effect: "Allow", Action: ["s3:ListBucket"], Resource: [B("tmp")] },
        ],
    },
    {
        title: "secrets: GetSecretValue on exactly the named secrets, Decrypt via Secrets Manager",
        access: access({ secrets: [{ key: "pinecone", arn: "arn:s:pinecone", kmsKeyArn: SECRETS_KEY }, { key: "jwt", arn: "arn:s:jwt", kmsKeyArn: SECRETS_KEY }] }),
        expected: [
            { Sid: "ReadDeclaredSecrets", Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], Resource: ["arn:s:jwt", "arn:s:pinecone"] },
            { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [SECRETS_KEY], Condition: via("secretsmanager") },
        ],
    },
    {
        title: "secrets by name (first preview): <name>-?????? patterns, the secrets key by alias",
        access: access({ secrets: [{ key: "jwt", arn: SECRET("shop-dev-jwt"), kmsKeyArn: SECRETS_ALIAS }, { key: "redisAuth", arn: SECRET("shop-dev-redis-auth"), kmsKeyArn: SECRETS_ALIAS }] }),
        expected: [
            { Sid: "ReadDeclaredSecrets", Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], Resource: [SECRET("shop-dev-jwt"), SECRET("shop-dev-redis-auth")] },
            { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt"], ...secretsKeyByAlias },
        ],
    },
    {
        title: "the RDS-managed secret: its own statement on rds!cluster-* narrowed to its cluster by tag, beside the named ones",
        access: access({
            secrets: [
                { key: "database", arn: RDS_SECRETS, kmsKeyArn: SECRETS_ALIAS, rdsClusterArn: CLUSTER },
                { key: "jwt", arn: SECRET("shop-dev-jwt"), kmsKeyArn: SECRETS_ALIAS },
            ],
        }),
        expected: [
            { Sid: "ReadDeclaredSecrets", Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], Resource: [SECRET("shop-dev-jwt")] },
            { Sid: "ReadRdsManagedSecretDatabase", Effect: "Allow", Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"], Resource: [RDS_SECRETS], Condition: byTag },
            { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt"], ...secretsKeyByAlias },
        ],
    },
    {
        title: "queues: send and consume on the named queues, one messaging-key statement via SQS",
        access: access({ queues: [{ key: "ingest", arn: "arn:q:ingest", mode: "send" }, { key: "mine", arn: "arn:q:mine", mode: "consume" }], messagingKeyArn: MSG_KEY }),
        expected: [
            { Sid: "QueueIngestSend", Effect: "Allow", Action: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"], Resource: ["arn:q:ingest"] },
            { Sid: "QueueMineConsume", Effect: "Allow", Action: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], Resource: ["arn:q:mine"] },
            { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [MSG_KEY], Condition: via("sqs") },
        ],
    },
    {
        title: "topics: Publish on the named topics, messaging key via SNS",
        access: access({ topics: [{ key: "domain-events", arn: "arn:t:events" }], messagingKeyArn: MSG_KEY }),
        expected: [
            { Sid: "PublishDeclaredTopics", Effect: "Allow", Action: ["sns:Publish"], Resource: ["arn:t:events"] },
            { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [MSG_KEY], Condition: via("sns") },
        ],
    },
    {
        title: "functions, workflows and Bedrock models: exact ARNs (functions with their versions)",
        access: access({ functions: [{ key: "rag-api", arn: "arn:f:api" }], workflows: [{ key: "rag", arn: "arn:sm:rag" }], bedrockModels: ["amazon.titan-embed-text-v2:0"] }),
        expected: [
            { Sid: "InvokeDeclaredFunctions", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: ["arn:f:api", "arn:f:api:*"] },
            { Sid: "StartDeclaredWorkflows", Effect: "Allow", Action: ["states:StartExecution"], Resource: ["arn:sm:rag"] },
            { Sid: "InvokeDeclaredBedrockModels", Effect: "Allow", Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"], Resource: ["arn:aws:bedrock:ap-northeast-1::foundation-model/amazon.titan-embed-text-v2:0"] },
        ],
    },
    { title: "nothing declared: no statement", access: iam.EMPTY_ACCESS, expected: [] },
];

describe("compute IAM statement builders", () => {
    for (const c of cases) {
        it(c.title, () => assert.deepEqual(iam.accessStatements(c.access, facts), c.expected));
    }

    it("merges the KMS needs of several services on one key into one statement", () => {
        const s = iam.accessStatements(access({ queues: [{ key: "q", arn: "arn:q", mode: "consume" }], topics: [{ key: "t", arn: "arn:t" }], messagingKeyArn: MSG_KEY }), facts);
        const kms = s.filter((x) => x.Action.some((a) => a.startsWith("kms:")));
        assert.deepEqual(kms, [{ Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [MSG_KEY], Condition: via("sns", "sqs") }]);
    });

    it("execution role: GetSecretValue on exactly the injected secrets", () => {
        assert.deepEqual(iam.executionSecretStatements([{ key: "jwt", arn: "arn:s:jwt", kmsKeyArn: SECRETS_KEY }], facts), [
            { Sid: "InjectDeclaredSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: ["arn:s:jwt"] },
            { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [SECRETS_KEY], Condition: via("secretsmanager") },
        ]);
        assert.deepEqual(iam.executionSecretStatements([], facts), []);
    });

    it("execution role: the RDS-managed secret on rds!cluster-* only with its cluster's tag; named secrets by pattern", () => {
        const grants = [
            { key: "jwt", arn: SECRET("shop-dev-jwt"), kmsKeyArn: SECRETS_ALIAS },
            { key: "database", arn: RDS_SECRETS, kmsKeyArn: SECRETS_ALIAS, rdsClusterArn: CLUSTER },
        ];
        const s = iam.executionSecretStatements(grants, facts);
        assert.deepEqual(s, [
            { Sid: "InjectDeclaredSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET("shop-dev-jwt")] },
            { Sid: "InjectRdsManagedSecretDatabase", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [RDS_SECRETS], Condition: byTag },
            { Sid: "KmsForDeclaredData1", Effect: "Allow", Action: ["kms:Decrypt"], ...secretsKeyByAlias },
        ]);
        // No statement grants rds!cluster-* without the tag condition.
        for (const st of [...s, ...iam.accessStatements(access({ secrets: grants }), facts)]) {
            if (st.Resource.some((r) => r.includes("rds!"))) {
                assert.deepEqual(st.Condition, byTag, st.Sid);
            }
        }
        assert.doesNotThrow(() => iam.policyDocument(s));
        // The same secret injected twice (two variables): still one statement per secret (Sids are unique).
        assert.deepEqual(iam.executionSecretStatements([...grants, ...grants], facts), s);
    });

    it("scheduler role: RunTask of the family on the cluster, PassRole of exactly two roles to ECS, the DLQ", () => {
        const s = iam.schedulerRunTaskStatements({
            taskDefinitionArn: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/p-daily:7",
            clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/p",
            taskRoleArn: "arn:aws:iam::123456789012:role/task",
            executionRoleArn: "arn:aws:iam::123456789012:role/exec",
            dlqArn: "arn:q:dlq",
            messagingKeyArn: MSG_KEY,
            facts,
        });
        assert.deepEqual(s, [
            { Sid: "RunJobTask", Effect: "Allow", Action: ["ecs:RunTask"], Resource: ["arn:aws:ecs:ap-northeast-1:123456789012:task-definition/p-daily:*"], Condition: { ArnEquals: { "ecs:cluster": "arn:aws:ecs:ap-northeast-1:123456789012:cluster/p" } } },
            { Sid: "TagJobTask", Effect: "Allow", Action: ["ecs:TagResource"], Resource: ["arn:aws:ecs:ap-northeast-1:123456789012:task/p/*"], Condition: { StringEquals: { "ecs:CreateAction": "RunTask" } } },
            { Sid: "PassJobRoles", Effect: "Allow", Action: ["iam:PassRole"], Resource: ["arn:aws:iam::123456789012:role/exec", "arn:aws:iam::123456789012:role/task"], Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } } },
            { Sid: "SchedulerDeadLetters", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: ["arn:q:dlq"] },
            { Sid: "SchedulerDeadLettersKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: [MSG_KEY], Condition: via("sqs") },
        ]);
    });

    it("state machine role: invoke exactly its functions and versions, log delivery and X-Ray on * (allowlisted)", () => {
        const s = iam.stateMachineStatements(["arn:f:b", "arn:f:a"]);
        assert.deepEqual(s[0], { Sid: "InvokeWorkflowFunctions", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: ["arn:f:a", "arn:f:a:*", "arn:f:b", "arn:f:b:*"] });
        assert.deepEqual(s[1].Action, iam.LOG_DELIVERY);
        assert.deepEqual(s[1].Resource, ["*"]);
        assert.doesNotThrow(() => iam.policyDocument(s));
    });

    it("every `*` the builders emit is in UNSCOPABLE_ACTIONS", () => {
        const stars = [...iam.stateMachineStatements(["arn:f"]), ...iam.ecsExecStatements("arn:k", "arn:lg"), iam.xrayStatement()].filter((s) => s.Resource.includes("*"));
        for (const s of stars) {
            for (const a of s.Action) {
                assert.ok(UNSCOPABLE_ACTIONS.includes(a), `${a} (${s.Sid}) is not allowlisted`);
            }
        }
    });

    it("assertScoped rejects `*` for a scopable action and wildcard actions", () => {
        assert.throws(() => iam.policyDocument([{ Sid: "Bad", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] }]), /Resource "\*" for s3:GetObject, which are not in policypack\/allowlists.ts UNSCOPABLE_ACTIONS/);
        assert.throws(() => iam.policyDocument([{ Sid: "Bad", Effect: "Allow", Action: ["s3:*"], Resource: ["arn:b"] }]), /wildcard action s3:\*/);
    });

    it("trust policies: ECS tasks pinned to the account, Lambda plain", () => {
        assert.deepEqual(iam.trustPolicy("ecs-tasks.amazonaws.com", "123456789012"), {
            Version: "2012-10-17",
            Statement: [{ Sid: "TrustService", Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }],
        });
        assert.equal((iam.trustPolicy("lambda.amazonaws.com") as any).Statement[0].Condition, undefined);
    });
    it("a KMS alias ARN becomes key/* restricted to that alias with kms:ResourceAliases", () => {
        const alias = "arn:aws:kms:ap-northeast-1:123456789012:alias/shop-dev-messaging";
        assert.deepEqual(iam.sendToQueueStatements("Dlq", "arn:aws:sqs:ap-northeast-1:123456789012:q", alias, facts)[1], {
            Sid: "DlqKey",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: ["arn:aws:kms:ap-northeast-1:123456789012:key/*"],
            Condition: { ...via("sqs"), "ForAnyValue:StringEquals": { "kms:ResourceAliases": ["alias/shop-dev-messaging"] } },
        });
        assert.deepEqual(iam.kmsKeyScope(MSG_KEY), { resource: MSG_KEY, condition: {} });
    });
});

/** IAM ARN matching in `Resource`: `*` any run of characters, `?` exactly one. */
function arnMatches(pattern: string, arn: string): boolean {
    const re = pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\/]/g, "\\$&")))
        .join("");
    return new RegExp(`^${re}$`).test(arn);
}

describe("secret grants built from names (known at first preview)", () => {
    const builders: { title: string; got: string; expected: string }[] = [
        { title: "a named secret: <name>-?????? in the account and region", got: naming.secretArnPattern(facts, "shop-dev-jwt"), expected: SECRET("shop-dev-jwt") },
        { title: "another partition", got: naming.secretArnPattern({ ...facts, partition: "aws-cn", region: "cn-north-1" }, "x"), expected: "arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x-??????" },
        { title: "RDS-managed cluster secrets: rds!cluster-*", got: naming.rdsClusterSecretArnPattern(facts), expected: RDS_SECRETS },
        { title: "a DB cluster from its identifier", got: naming.rdsClusterArn(facts, "shop-dev-aurora"), expected: CLUSTER },
    ];
    for (const b of builders) {
        it(`ARN builder: ${b.title}`, () => assert.equal(b.got, b.expected));
    }

    const matching: { arn: string; matches: boolean; why: string }[] = [
        { arn: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:shop-dev-jwt-AbCdEf", matches: true, why: "the secret itself" },
        { arn: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:shop-dev-jwt-x-AbCdEf", matches: false, why: "a longer name (shop-dev-jwt-x)" },
        { arn: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:shop-dev-jwt2-AbCdEf", matches: false, why: "a longer name (shop-dev-jwt2)" },
        { arn: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:shop-dev-jw-AbCdEf", matches: false, why: "a shorter name" },
        { arn: "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:shop-dev-jwt-AbCdE", matches: false, why: "five characters are not an ARN suffix" },
        { arn: "arn:aws:secretsmanager:us-west-2:123456789012:secret:shop-dev-jwt-AbCdEf", matches: false, why: "another region" },
        { arn: "arn:aws:secretsmanager:ap-northeast-1:210987654321:secret:shop-dev-jwt-AbCdEf", matches: false, why: "another account" },
    ];
    for (const m of matching) {
        it(`<name>-?????? ${m.matches ? "matches" : "does not match"} ${m.why}`, () => assert.equal(arnMatches(SECRET("shop-dev-jwt"), m.arn), m.matches));
    }

    const grants: { title: string; identity: SecretIdentity; expected: iam.SecretGrant }[] = [
        { title: "a named secret: its name pattern and the secrets key by alias", identity: { name: "shop-dev-jwt" }, expected: { key: "k", arn: SECRET("shop-dev-jwt"), kmsKeyArn: SECRETS_ALIAS } },
        {
            title: "the RDS-managed secret: rds!cluster-* narrowed to the cluster built from its identifier",
            identity: { rdsClusterIdentifier: "shop-dev-aurora" },
            expected: { key: "k", arn: RDS_SECRETS, kmsKeyArn: SECRETS_ALIAS, rdsClusterArn: CLUSTER },
        },
    ];
    for (const g of grants) {
        it(`secretGrant: ${g.title}`, () => assert.deepEqual(secretGrant(facts, "shop-dev", "k", g.identity), g.expected));
    }
    it("secretGrant: a secret with neither a name nor a cluster is an error, never a wildcard", () => {
        assert.throws(() => secretGrant(facts, "shop-dev", "mystery", {}), /secret "mystery": the data tier gives neither its name nor its RDS cluster/);
    });
});
