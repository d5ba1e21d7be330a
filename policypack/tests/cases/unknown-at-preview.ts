/**
 * `unknownAtPreview` ("fail" default | "defer") on every policy that fails closed. For each of
 * them, a resource whose document is unknown at preview and one whose document is known:
 * - unknown, no config or "fail": a mandatory "could not be verified ... IAM checks fail closed";
 * - unknown, "defer": the framework's own advisory "can't run policy ... during preview";
 * - known and bad, "defer": the same mandatory violation as without the config;
 * - known and good, "defer": silent.
 * Plus mixes in one resource or stack (a known bad document beside an unknown one), where "defer"
 * must still report the known violation as mandatory.
 */
import { Graph, PolicyCase, UNKNOWN } from "../harness";
import { bucket, doc, ECS_TRUST } from "./common";

const TABLE = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/orders";
const SCOPED = doc([{ Sid: "Orders", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: TABLE }]);

/** The framework's advisory for an UnknownValueError (@pulumi/policy server.js). */
export const FRAMEWORK_ADVISORY = "during preview: ";
export const FAIL_CLOSED = "IAM checks fail closed";

interface Spec {
    policy: string;
    /** The resource (or, for a stack policy, "(stack)") the unknown document is reported on when deferred. */
    deferredOn: string;
    /** The resource the fail-closed violation is reported on. */
    failedOn: string;
    unknown: (g: Graph) => void;
    bad: (g: Graph) => void;
    badMessage: string;
    good: (g: Graph) => void;
}

const SPECS: Spec[] = [
    {
        policy: "iam-no-wildcard-actions",
        deferredOn: "p",
        failedOn: "p",
        unknown: (g) => void g.add("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: UNKNOWN }),
        bad: (g) => void g.add("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: doc([{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }]) }),
        badMessage: "allows 's3:*'",
        good: (g) => void g.add("aws:iam/rolePolicy:RolePolicy", "p", { role: "r", policy: SCOPED }),
    },
    {
        policy: "iam-no-wildcard-resources",
        deferredOn: "p",
        failedOn: "p",
        unknown: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: UNKNOWN }),
        bad: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: doc([{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" }]) }),
        badMessage: "allows dynamodb:GetItem on Resource \"*\"",
        good: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: SCOPED }),
    },
    {
        policy: "iam-no-privilege-escalation",
        deferredOn: "p",
        failedOn: "p",
        unknown: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: UNKNOWN }),
        bad: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: doc([{ Effect: "Allow", Action: "iam:PassRole", Resource: "*" }]) }),
        badMessage: "iam:PassRole on a wildcard resource",
        good: (g) => void g.add("aws:iam/policy:Policy", "p", { policy: SCOPED }),
    },
    {
        policy: "iam-trust-policy-principals",
        deferredOn: "r",
        failedOn: "r",
        // The Cognito authenticated role of the first deployment: the identity pool id is not known yet.
        unknown: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: UNKNOWN }),
        bad: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: doc([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }]) }),
        badMessage: "lets any AWS principal",
        good: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: ECS_TRUST }),
    },
    {
        policy: "lambda-permission-source",
        deferredOn: "p",
        failedOn: "p",
        unknown: (g) => void g.add("aws:lambda/permission:Permission", "p", { action: "lambda:InvokeFunction", function: "fn", principal: UNKNOWN }),
        bad: (g) => void g.add("aws:lambda/permission:Permission", "p", { action: "lambda:InvokeFunction", function: "fn", principal: "apigateway.amazonaws.com" }),
        badMessage: "needs sourceArn",
        good: (g) => void g.add("aws:lambda/permission:Permission", "p", { action: "lambda:InvokeFunction", function: "fn", principal: "events.amazonaws.com", sourceArn: "arn:aws:events:ap-northeast-1:123456789012:rule/nightly" }),
    },
    {
        policy: "resource-policy-not-public",
        deferredOn: "bp",
        failedOn: "bp",
        // The static-site bucket policy of the first deployment: the distribution ARN is not known yet.
        unknown: (g) => void g.add("aws:s3/bucketPolicy:BucketPolicy", "bp", { bucket: "site-bkt", policy: UNKNOWN }),
        bad: (g) => void g.add("aws:s3/bucketPolicy:BucketPolicy", "bp", { bucket: "site-bkt", policy: doc([{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::site-bkt/*" }]) }),
        badMessage: "to any principal without a restricting condition",
        good: (g) =>
            void g.add("aws:s3/bucketPolicy:BucketPolicy", "bp", {
                bucket: "site-bkt",
                policy: doc([
                    {
                        Effect: "Allow",
                        Principal: { Service: "cloudfront.amazonaws.com" },
                        Action: "s3:GetObject",
                        Resource: "arn:aws:s3:::site-bkt/*",
                        Condition: { StringEquals: { "aws:SourceArn": "arn:aws:cloudfront::123456789012:distribution/E1" } },
                    },
                ]),
            }),
    },
    {
        policy: "s3-bucket-tls-only",
        // A stack policy's UnknownValueError becomes one advisory for the stack.
        deferredOn: "(stack)",
        failedOn: "site",
        unknown: (g) => void bucket(g, "site", { policy: UNKNOWN }),
        bad: (g) => void bucket(g, "site", { policy: doc([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/app" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::site-bkt/*" }]) }),
        badMessage: "has no bucket policy denying aws:SecureTransport=false",
        good: (g) => void bucket(g, "site"),
    },
];

/** The policies that must declare `unknownAtPreview` (every one that fails closed). */
export const UNKNOWN_AT_PREVIEW_POLICIES = SPECS.map((s) => s.policy);

const defer = (policy: string) => ({ [policy]: { unknownAtPreview: "defer" } });

export const unknownAtPreviewCases: PolicyCase[] = [
    ...SPECS.flatMap((s): PolicyCase[] => [
        { policy: s.policy, title: "unknown document, no config: fails closed (mandatory)", violates: true, level: "mandatory", expectMessage: FAIL_CLOSED, reported: [s.failedOn], build: s.unknown },
        {
            policy: s.policy,
            title: "unknown document, unknownAtPreview \"fail\": fails closed (mandatory)",
            violates: true,
            level: "mandatory",
            expectMessage: FAIL_CLOSED,
            reported: [s.failedOn],
            config: { [s.policy]: { unknownAtPreview: "fail" } },
            build: s.unknown,
        },
        {
            policy: s.policy,
            title: "unknown document, unknownAtPreview \"defer\": the framework's advisory \"can't run ... during preview\"",
            violates: true,
            level: "advisory",
            expectMessage: FRAMEWORK_ADVISORY,
            reported: [s.deferredOn],
            config: defer(s.policy),
            build: s.unknown,
        },
        { policy: s.policy, title: "known bad document, unknownAtPreview \"defer\": still mandatory", violates: true, level: "mandatory", expectMessage: s.badMessage, config: defer(s.policy), build: s.bad },
        { policy: s.policy, title: "known bad document, no config: mandatory", violates: true, level: "mandatory", expectMessage: s.badMessage, build: s.bad },
        { policy: s.policy, title: "known good document, unknownAtPreview \"defer\": silent", violates: false, config: defer(s.policy), build: s.good },
    ]),
    // Mixes: a known bad document next to an unknown one.
    {
        policy: "iam-no-wildcard-actions",
        title: "role with a known '*' inline policy and an unknown one, \"defer\": the known one is still mandatory, the unknown one advisory",
        violates: true,
        levels: ["mandatory", "advisory"],
        expectMessage: "inlinePolicies[admin]",
        config: defer("iam-no-wildcard-actions"),
        build: (g) =>
            void g.add("aws:iam/role:Role", "r", {
                assumeRolePolicy: ECS_TRUST,
                inlinePolicies: [
                    { name: "pending", policy: UNKNOWN },
                    { name: "admin", policy: doc([{ Effect: "Allow", Action: "*", Resource: "*" }]) },
                ],
            }),
    },
    {
        policy: "iam-no-wildcard-actions",
        title: "role with a known '*' inline policy and an unknown one, no config: the known violation and the fail-closed one",
        violates: true,
        levels: ["mandatory", "mandatory"],
        expectMessage: "inlinePolicies[admin]",
        build: (g) =>
            void g.add("aws:iam/role:Role", "r", {
                assumeRolePolicy: ECS_TRUST,
                inlinePolicies: [
                    { name: "pending", policy: UNKNOWN },
                    { name: "admin", policy: doc([{ Effect: "Allow", Action: "*", Resource: "*" }]) },
                ],
            }),
    },
    {
        policy: "iam-no-wildcard-resources",
        title: "role whose whole inlinePolicies list is unknown, \"defer\": advisory",
        violates: true,
        level: "advisory",
        expectMessage: FRAMEWORK_ADVISORY,
        config: defer("iam-no-wildcard-resources"),
        build: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: ECS_TRUST, inlinePolicies: UNKNOWN }),
    },
    {
        policy: "iam-no-wildcard-actions",
        title: "inline policy whose name is unknown but whose document is known, \"defer\": the document is judged (mandatory), nothing is deferred",
        violates: true,
        levels: ["mandatory"],
        expectMessage: "allows '*'",
        config: defer("iam-no-wildcard-actions"),
        build: (g) => void g.add("aws:iam/role:Role", "r", { assumeRolePolicy: ECS_TRUST, inlinePolicies: [{ name: UNKNOWN, policy: doc([{ Effect: "Allow", Action: "*", Resource: "*" }]) }] }),
    },
    {
        policy: "s3-bucket-tls-only",
        title: "a bucket without a TLS policy and one whose policy is unknown, \"defer\": the known bucket is still mandatory",
        violates: true,
        levels: ["mandatory", "advisory"],
        reported: ["open", "(stack)"],
        expectMessage: "Bucket 'open' has no bucket policy",
        config: defer("s3-bucket-tls-only"),
        build: (g) => {
            bucket(g, "open", { policy: false });
            bucket(g, "site", { policy: UNKNOWN });
        },
    },
    {
        policy: "resource-policy-not-public",
        title: "\"defer\" on another policy does not defer this one",
        violates: true,
        level: "mandatory",
        expectMessage: FAIL_CLOSED,
        config: defer("iam-trust-policy-principals"),
        build: (g) => void g.add("aws:s3/bucketPolicy:BucketPolicy", "bp", { bucket: "site-bkt", policy: UNKNOWN }),
    },
];
