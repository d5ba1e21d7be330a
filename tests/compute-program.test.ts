/**
 * The compute tier inside the whole program (index.ts) for every stack file: wired to the real
 * data tier's keys, tables, buckets and secrets, through the main provider, with its stack outputs.
 */
import { strict as assert } from "assert";
import { descendantsOf, one, policyDoc, StackRun, stackRun } from "./harness";

const T = (type: string) => `aws:${type}`;
const statements = (run: StackRun, name: string) => policyDoc(one(run, T("iam/rolePolicy:RolePolicy"), name).inputs.policy).Statement;

describe("compute tier in the program", function () {
    this.timeout(300_000);
    for (const stack of ["dev", "staging", "prod"]) {
        describe(stack, () => {
            let run: StackRun;
            before(async () => {
                run = await stackRun(stack);
            });

            it("creates every compute resource through the main provider", () => {
                const root = one(run, "platform:compute:Compute", "compute");
                const main = run.resources.find((r) => r.type === "pulumi:providers:aws" && r.name === "aws-main")!;
                const aws = descendantsOf(run, root.urn).filter((r) => r.custom && r.type.startsWith("aws:"));
                assert.ok(aws.length > 120, `only ${aws.length} compute resources`);
                assert.deepEqual(aws.filter((r) => r.provider !== main.urn).map((r) => r.name), []);
            });

            it("grants the web task exactly the data tier's documents table, bucket prefix and data key", () => {
                const table = one(run, T("dynamodb/table:Table"), "data-tables-documents").state.arn;
                const bucket = one(run, T("s3/bucket:Bucket"), "data-buckets-documents").state.arn;
                const dataKey = one(run, T("kms/key:Key"), "data-kms-data-key").state.arn;
                const st = statements(run, "compute-svc-web-task-policy");
                assert.deepEqual(st.find((s: any) => s.Sid === "TableDocumentsRead").Resource, [table, `${table}/index/*`]);
                assert.deepEqual(st.find((s: any) => s.Sid === "BucketDocumentsReadWrite").Resource, [`${bucket}/uploads/*`]);
                // The data key by alias (known at first preview): key/* in the account and region, restricted to its alias.
                const alias = one(run, T("kms/alias:Alias"), "data-kms-data-alias").inputs.name;
                const kms = st.find((s: any) => s.Sid === "KmsForDeclaredData1");
                assert.deepEqual(kms.Resource, [dataKey.replace(/key\/[^/]+$/, "key/*")]);
                assert.deepEqual(kms.Condition["ForAnyValue:StringEquals"], { "kms:ResourceAliases": [alias] });
            });

            it("injects the data tier's database and JWT secrets by ARN, readable by the execution role only", () => {
                const jwt = one(run, T("secretsmanager/secret:Secret"), "data-secrets-jwt").state.arn;
                const web = JSON.parse(one(run, T("ecs/taskDefinition:TaskDefinition"), "compute-svc-web-task").inputs.containerDefinitions)[0];
                assert.deepEqual(web.secrets, [
                    { name: "DATABASE_CREDENTIALS", valueFrom: run.outputs.databaseSecretArn },
                    { name: "JWT_SIGNING_SECRET", valueFrom: jwt },
                ]);
                // Built from names (known at first preview), the grants still name exactly these secrets:
                // jwt by its real name + the six-character ARN suffix, the database secret by the tag RDS
                // puts on it with the real cluster's ARN, and the real secrets key by its real alias.
                const st = statements(run, "compute-svc-web-execution-secrets");
                const jwtName = one(run, T("secretsmanager/secret:Secret"), "data-secrets-jwt").inputs.name;
                assert.deepEqual(st[0], { Sid: "InjectDeclaredSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [`arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:${jwtName}-??????`] });
                assert.ok(new RegExp(`^${st[0].Resource[0].replace(/\?/g, ".")}$`).test(jwt), `${st[0].Resource[0]} does not match ${jwt}`);
                const cluster = one(run, T("rds/cluster:Cluster"), "data-aurora-cluster").state.arn;
                assert.deepEqual(st[1], {
                    Sid: "InjectRdsManagedSecretDatabase",
                    Effect: "Allow",
                    Action: ["secretsmanager:GetSecretValue"],
                    Resource: ["arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster-*"],
                    Condition: { StringEquals: { "secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn": cluster } },
                });
                assert.match(run.outputs.databaseSecretArn, /:secret:rds!cluster-/);
                const secretsKey = one(run, T("kms/key:Key"), "data-kms-secrets-key").state.arn;
                assert.deepEqual(st[2].Resource, [secretsKey.replace(/key\/[^/]+$/, "key/*")]);
                assert.deepEqual(st[2].Condition["ForAnyValue:StringEquals"], { "kms:ResourceAliases": [one(run, T("kms/alias:Alias"), "data-kms-secrets-alias").inputs.name] });
                assert.equal(st.length, 3);
                assert.equal(web.environment.find((e: any) => e.name === "TABLE_DOCUMENTS").value, run.outputs.dynamodbTableNames.documents);
            });

            it("ECS Exec: the task role names the platform's logs key by its real alias and the exec log group by its real ARN", () => {
                const st = statements(run, "compute-svc-web-task-policy");
                const logsKey = one(run, T("kms/key:Key"), "logs-key-key").state.arn;
                const key = st.find((s: any) => s.Sid === "EcsExecSessionKey");
                assert.deepEqual(key.Resource, [logsKey.replace(/key\/[^/]+$/, "key/*")]);
                assert.deepEqual(key.Condition, { "ForAnyValue:StringEquals": { "kms:ResourceAliases": [one(run, T("kms/alias:Alias"), "logs-key-alias").inputs.name] } });
                assert.equal(one(run, T("ecs/cluster:Cluster"), "compute-ecs-cluster").inputs.configuration.executeCommandConfiguration.kmsKeyId, logsKey);
                const execLogs = one(run, T("cloudwatch/logGroup:LogGroup"), "compute-ecs-exec-logs").state.arn;
                assert.deepEqual(st.find((s: any) => s.Sid === "EcsExecWriteSessionLogs").Resource, [`${execLogs}:*`]);
            });

            it("encrypts queues and topics with the data tier's messaging key and logs the ALB to its logs bucket", () => {
                const key = one(run, T("kms/key:Key"), "data-kms-messaging-key").state.arn;
                for (const q of descendantsOf(run, one(run, "platform:compute:Compute", "compute").urn).filter((r) => r.type === T("sqs/queue:Queue"))) {
                    assert.equal(q.inputs.kmsMasterKeyId, key, q.name);
                }
                assert.equal(one(run, T("sns/topic:Topic"), "compute-messaging-topic-domain-events").inputs.kmsMasterKeyId, key);
                assert.equal(one(run, T("lb/loadBalancer:LoadBalancer"), "compute-ingress-alb").inputs.accessLogs.bucket, run.outputs.bucketNames.logs);
            });

            it("exports the entry points", () => {
                assert.match(run.outputs.albDnsName, /\.elb\.amazonaws\.com$/);
                assert.equal(run.outputs.ecsClusterName, `ragplatform-${stack}`);
                assert.deepEqual(Object.keys(run.outputs.functionNames).sort(), ["email-webhook", "rag-api", "rag-check", "rag-worker"]);
                assert.deepEqual(Object.keys(run.outputs.queueUrls).sort(), ["ingest", "notification"]);
                assert.deepEqual(Object.keys(run.outputs.stateMachineArns), ["rag-processing"]);
            });
        });
    }
});
