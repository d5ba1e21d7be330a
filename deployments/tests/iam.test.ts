import * as assert from "assert";
import { PlatformStack } from "../src/config";
import {
    BOUNDARY_SERVICES,
    deployOperationsFor,
    deployPolicies,
    DeployContext,
    FORBIDDEN_PREVIEW_ACTIONS,
    githubSubject,
    githubTrustStatement,
    grantFindings,
    permissionsBoundary,
    PolicyDocument,
    policySize,
    PREVIEW_READ_ACTIONS,
    pulumiTrustStatement,
    readPolicy,
} from "../src/iam";
import { ACCOUNTS } from "./helpers";

const STACKS: PlatformStack[] = ["dev", "staging", "prod"];

function ctxFor(stack: PlatformStack): DeployContext {
    const a = ACCOUNTS[stack];
    return {
        accountId: a,
        region: "ap-northeast-1",
        drRegion: "us-west-2",
        prefix: `ragplatform-${stack}`,
        stackTagKey: "Environment",
        stack,
        boundaryPolicyArn: `arn:aws:iam::${a}:policy/delivery-${stack}-boundary`,
        protectedRoleArns: [`arn:aws:iam::${a}:role/delivery-${stack}-preview`, `arn:aws:iam::${a}:role/delivery-${stack}-deploy`],
    };
}

/** Resource ARNs that cannot carry the stack prefix (AWS generates the id) and why that is acceptable. */
const ID_SCOPED_ARNS: RegExp[] = [
    /^arn:aws:cloudfront::\d{12}:(distribution|origin-access-control|cache-policy|response-headers-policy|origin-request-policy)\/\*$/, // generated ids, account-scoped
    /^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/\*$/, // generated ids; only delete/tag granted
    /^arn:aws:route53:::(hostedzone|healthcheck)\/\*$/, // zone ids; records only, no zone create/delete
    /^arn:aws:apigateway:[a-z0-9-]+::\/(restapis\*|apis\*|tags\/\*|account|domainnames\*|usageplans\*|apikeys\*)$/, // API Gateway ARNs have no names (ids are generated)
    /^arn:aws:cognito-identity:[a-z0-9-]+:\d{12}:identitypool\/\*$/, // identity pool ids are generated; scoped by the Environment tag
    /^arn:aws:ce::\d{12}:(anomalymonitor|anomalysubscription)\/\*$/, // Cost Explorer ids are generated; scoped by the Environment tag
    /^arn:aws:application-autoscaling:[a-z0-9-]+:\d{12}:scalable-target\/\*$/,
    /^arn:aws:backup:[a-z0-9-]+:\d{12}:backup-plan:\*$/,
    /^arn:aws:lambda:[a-z0-9-]+:\d{12}:event-source-mapping:\*$/,
    /^arn:aws:wafv2:\*:\d{12}:\*\/managedruleset\/\*\/\*$/, // AWS managed rule groups (read/use only)
    /^arn:aws:iam::\d{12}:role\/aws-service-role\/\*$/, // service-linked roles, limited by iam:AWSServiceName
    /^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/\*$/, // key ids; KmsAliases needs the target key too
];

describe("deployments: trust policies", () => {
    const providerGh = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
    const providerPulumi = "arn:aws:iam::111111111111:oidc-provider/api.pulumi.com/oidc";

    const subjects: { kind: Parameters<typeof githubSubject>[1]; expected: string }[] = [
        { kind: { pullRequest: true }, expected: "repo:acme/aws-platform:pull_request" },
        { kind: { environment: "prod" }, expected: "repo:acme/aws-platform:environment:prod" },
        { kind: { branch: "main" }, expected: "repo:acme/aws-platform:ref:refs/heads/main" },
    ];
    for (const row of subjects) {
        it(`GitHub subject ${row.expected}`, () => assert.strictEqual(githubSubject("acme/aws-platform", row.kind), row.expected));
    }

    it("GitHub trust pins audience and exact subjects of this repository", () => {
        const st = githubTrustStatement(providerGh, ["repo:acme/aws-platform:pull_request"]);
        assert.strictEqual(st.Principal.Federated, providerGh);
        assert.strictEqual(st.Action, "sts:AssumeRoleWithWebIdentity");
        assert.deepStrictEqual(st.Condition, {
            StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": ["repo:acme/aws-platform:pull_request"],
            },
        });
        assert.throws(() => githubTrustStatement(providerGh, ["repo:acme/*"]), /must not contain wildcards/);
        assert.throws(() => githubTrustStatement(providerGh, []), /at least one subject/);
    });

    for (const stack of STACKS) {
        it(`Pulumi Deployments trust for ${stack}: org audience, one subject per allowed operation`, () => {
            const st = pulumiTrustStatement(providerPulumi, "acme", "platform", stack, deployOperationsFor(stack));
            const eq = st.Condition["StringEquals"];
            assert.strictEqual(eq["api.pulumi.com/oidc:aud"], "acme");
            const subs = eq["api.pulumi.com/oidc:sub"] as string[];
            assert.ok(subs.includes(`pulumi:deploy:org:acme:project:platform:stack:${stack}:operation:update:scope:write`));
            assert.ok(subs.every((s) => s.includes(`:stack:${stack}:`)), "no other stack may assume this role");
            assert.strictEqual(subs.some((s) => s.includes(":operation:destroy:")), stack !== "prod", "prod never trusts destroy");
        });
    }
});

describe("deployments: preview role policy", () => {
    const doc = readPolicy(["ap-northeast-1", "us-west-2", "us-east-1"]);

    it("is read-only: every action is a List/Describe/Get/View metadata call", () => {
        for (const st of doc.Statement) {
            for (const action of st.Action) {
                assert.match(action, /^[a-z0-9-]+:(List|Describe|Get|View)[A-Za-z]*$|^apigateway:GET$/, action);
            }
        }
    });

    it("never reads data or secret values", () => {
        const actions = doc.Statement.flatMap((s) => s.Action);
        for (const forbidden of FORBIDDEN_PREVIEW_ACTIONS) assert.ok(!actions.includes(forbidden), forbidden);
    });

    it("names every action (no wildcard) and passes the pack's least-privilege rules", () => {
        assert.ok(PREVIEW_READ_ACTIONS.every((a) => !a.includes("*")));
        assert.strictEqual(new Set(PREVIEW_READ_ACTIONS).size, PREVIEW_READ_ACTIONS.length, "duplicate actions");
        assert.deepStrictEqual(grantFindings(doc), []);
    });

    it("fits the 10,240-character inline policy limit", () => {
        assert.ok(policySize(doc) < 10240, `${policySize(doc)} characters`);
    });
});

describe("deployments: deploy role policies", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            const ctx = ctxFor(stack);
            const policies = deployPolicies(ctx);

            it("pass the pack's least-privilege rules (no * or service:* action, allowlisted * resources, boundary on role changes)", () => {
                for (const [tier, doc] of Object.entries(policies)) {
                    assert.deepStrictEqual(grantFindings(doc, { boundaryPolicyArn: ctx.boundaryPolicyArn, prefix: ctx.prefix }), [], tier);
                }
            });

            it("fit managed-policy limits (6,144 characters each, at most 9 attachments)", () => {
                assert.ok(Object.keys(policies).length <= 9);
                for (const [tier, doc] of Object.entries(policies)) {
                    assert.ok(policySize(doc) <= 6144, `${tier}: ${policySize(doc)} characters`);
                }
            });

            it("scope every named resource to the stack prefix, a stack tag, or a documented generated-id pattern", () => {
                for (const doc of Object.values(policies)) {
                    for (const st of doc.Statement) {
                        const tagged = JSON.stringify(st.Condition ?? {}).includes(`/Environment":"${stack}"`);
                        for (const arn of st.Resource.filter((r) => r !== "*")) {
                            const ok = arn.includes(`ragplatform-${stack}`) || tagged || ID_SCOPED_ARNS.some((re) => re.test(arn));
                            assert.ok(ok, `${st.Sid}: ${arn}`);
                        }
                    }
                }
            });

            it("never match another stack's resources or the bootstrap roles and policies", () => {
                const text = JSON.stringify(policies);
                for (const other of STACKS.filter((s) => s !== stack)) assert.ok(!text.includes(`ragplatform-${other}`), other);
                const resources = Object.values(policies).flatMap((doc) => doc.Statement.flatMap((st) => st.Resource));
                assert.deepStrictEqual(resources.filter((r) => r.includes("delivery-")), [], "deploy grants must not reach delivery-* bootstrap resources");
                assert.ok(!/arn:aws:iam::\d{12}:(role|policy)\/\*/.test(text), "no IAM wildcard over all roles/policies");
            });

            it("cover every tier the platform needs", () => {
                const services = new Set(Object.values(policies).flatMap((d) => d.Statement.flatMap((s) => s.Action.map((a) => a.split(":")[0]))));
                for (const svc of ["ec2", "elasticloadbalancing", "ecs", "ecr", "lambda", "rds", "elasticache", "dynamodb", "s3",
                    "sqs", "sns", "events", "states", "secretsmanager", "kms", "cloudfront", "wafv2", "acm", "route53",
                    "cognito-idp", "logs", "cloudwatch", "xray", "cloudtrail", "backup", "iam", "apigateway", "budgets"]) {
                    assert.ok(services.has(svc), svc);
                }
            });
        });
    }
});

describe("deployments: permissions boundary", () => {
    const ctx = ctxFor("prod");
    const b = permissionsBoundary(ctx);
    const sid = (name: string) => b.Statement.find((s) => s.Sid === name)!;

    it("caps services and regions", () => {
        const allow = sid("PlatformServicesInPlatformRegions");
        assert.deepStrictEqual(allow.Action, BOUNDARY_SERVICES.map((s) => `${s}:*`));
        assert.ok(!allow.Action.includes("iam:*") && !allow.Action.includes("organizations:*") && !allow.Action.includes("*"));
        assert.deepStrictEqual(allow.Condition, { StringEquals: { "aws:RequestedRegion": ["ap-northeast-1", "us-west-2", "us-east-1"] } });
    });

    it("denies editing or removing the boundary and creating roles without it", () => {
        assert.deepStrictEqual(sid("DenyBoundaryEdits").Resource, [ctx.boundaryPolicyArn]);
        assert.strictEqual(sid("DenyBoundaryRemoval").Effect, "Deny");
        assert.deepStrictEqual(sid("DenyRolesWithoutThisBoundary").Condition, {
            StringNotEquals: { "iam:PermissionsBoundary": ctx.boundaryPolicyArn },
        });
    });

    it("denies touching the bootstrap roles and OIDC providers, creating users or keys, stopping CloudTrail", () => {
        const tamper = sid("DenyBootstrapTampering");
        for (const arn of ctx.protectedRoleArns) assert.ok(tamper.Resource.includes(arn), arn);
        assert.ok(tamper.Action.includes("iam:UpdateAssumeRolePolicy"));
        assert.ok(sid("DenyUsersAndLongLivedKeys").Action.includes("iam:CreateAccessKey"));
        assert.deepStrictEqual(sid("DenyAuditShutdown").Action, ["cloudtrail:StopLogging"]);
    });

    it("fits the managed-policy limit", () => {
        assert.ok(policySize(b) <= 6144, `${policySize(b)} characters`);
    });
});

describe("deployments: the least-privilege checker catches bad grants", () => {
    const bad: { name: string; doc: PolicyDocument; expect: RegExp }[] = [
        { name: "star action", doc: d({ Action: ["*"], Resource: ["arn:aws:s3:::x"] }), expect: /grants a whole service/ },
        { name: "service star", doc: d({ Action: ["s3:*"], Resource: ["arn:aws:s3:::x"] }), expect: /grants a whole service/ },
        { name: "iam wildcard", doc: d({ Action: ["iam:Attach*"], Resource: ["arn:aws:iam::1:role/platform-dev-x"] }), expect: /IAM action "iam:Attach\*" must be named/ },
        { name: "unlisted * resource", doc: d({ Action: ["rds:DeleteDBCluster"], Resource: ["*"] }), expect: /not allowlisted/ },
        { name: "PassRole on *", doc: d({ Action: ["iam:PassRole"], Resource: ["*"] }), expect: /escalation action "iam:PassRole" on an unscoped resource/ },
        { name: "PassRole without service", doc: d({ Action: ["iam:PassRole"], Resource: ["arn:aws:iam::1:role/platform-dev-x"] }), expect: /without iam:PassedToService/ },
        { name: "CreateRole without boundary", doc: d({ Action: ["iam:CreateRole"], Resource: ["arn:aws:iam::1:role/platform-dev-x"] }), expect: /without the iam:PermissionsBoundary condition/ },
        { name: "access keys", doc: d({ Action: ["iam:CreateAccessKey"], Resource: ["arn:aws:iam::1:user/x"] }), expect: /outside the stack's own policies/ },
    ];
    for (const row of bad) {
        it(row.name, () => {
            const findings = grantFindings(row.doc);
            assert.ok(findings.some((f) => row.expect.test(f)), findings.join("\n") || "no findings");
        });
    }

    function d(st: { Action: string[]; Resource: string[] }): PolicyDocument {
        return { Version: "2012-10-17", Statement: [{ Sid: "Fixture", Effect: "Allow", ...st }] };
    }
});
