/**
 * Pure building blocks of the edge tier: the static-site bucket policy, the security headers, the
 * WAF rule list, the API resource tree, Lambda permission source ARNs, the per-client usage-plan
 * translation and the API Gateway CloudWatch role policy. No Pulumi resources here: every function
 * is table-tested in tests/edge.test.ts.
 */
import { createHash } from "crypto";
import type { PolicyDocument, PolicyStatement } from "../security/key-policy";
import { tlsOnlyStatement } from "../data/buckets-spec";

// ---------------------------------------------------------------------------------------------
// CloudFront

/** Managed CloudFront policies (ids from the CloudFront developer guide). */
export const MANAGED_POLICY_IDS = {
    /** Managed-CachingDisabled: TTL 0, nothing in the cache key. */
    cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    /** Managed-AllViewerExceptHostHeader: every viewer header, cookie and query string except Host. */
    allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
} as const;

/** Hosted zone id of every CloudFront distribution (alias target). */
export const CLOUDFRONT_HOSTED_ZONE_ID = "Z2FDTNDATAQYW2";

/** Origin ids inside the distribution. */
export const ORIGIN_IDS = { site: "static-site", alb: "alb" } as const;

/**
 * The static-site bucket policy: CloudFront (this distribution only, through OAC) may read objects
 * and list the bucket (so a missing object is a 404, not a 403), and every non-TLS request is denied.
 */
export function staticSiteBucketPolicy(args: { bucketArn: string; distributionArn: string }): PolicyDocument {
    const onlyThisDistribution = { StringEquals: { "AWS:SourceArn": args.distributionArn } };
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AllowCloudFrontOacRead",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: `${args.bucketArn}/*`,
                Condition: onlyThisDistribution,
            },
            {
                Sid: "AllowCloudFrontOacList",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:ListBucket",
                Resource: args.bucketArn,
                Condition: onlyThisDistribution,
            },
            denyInsecureTransport(args.bucketArn),
        ],
    };
}

/** The TLS-only deny every bucket policy carries: one definition, shared with the data tier. */
export const denyInsecureTransport = tlsOnlyStatement;

/**
 * The key-policy statement the data tier must add when the static-site bucket is SSE-KMS (the
 * platform prefers SSE-S3 for it). Account-scoped because the key exists before the distribution.
 */
export function cloudFrontKeyStatement(args: { accountId: string; partition: string }): PolicyStatement {
    return {
        Sid: "AllowCloudFrontOacDecrypt",
        Effect: "Allow",
        Principal: { Service: "cloudfront.amazonaws.com" },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: {
            StringEquals: { "aws:SourceAccount": args.accountId },
            ArnLike: { "aws:SourceArn": `arn:${args.partition}:cloudfront::${args.accountId}:distribution/*` },
        },
    };
}

/**
 * Content-Security-Policy of the site: same-origin by default, the API and Cognito reachable by
 * fetch, no framing, no plugins, HTTPS only.
 */
export function contentSecurityPolicy(connectSources: readonly string[]): string {
    const connect = ["'self'", ...new Set(connectSources)].join(" ");
    return [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        `connect-src ${connect}`,
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "upgrade-insecure-requests",
    ].join("; ");
}

/** The origins the web app calls: the API and Cognito (user pool API and hosted UI) in `region`. */
export function appConnectSources(args: { region: string; apiDomain?: string; extra?: readonly string[] }): string[] {
    return [
        ...(args.apiDomain ? [`https://${args.apiDomain}`] : []),
        `https://*.execute-api.${args.region}.amazonaws.com`,
        `https://cognito-idp.${args.region}.amazonaws.com`,
        `https://*.auth.${args.region}.amazoncognito.com`,
        ...(args.extra ?? []),
    ];
}

// ---------------------------------------------------------------------------------------------
// WAF

export interface WafRuleInputs {
    /** Prefix of CloudWatch metric names, e.g. shop-prod-cloudfront. */
    metricPrefix: string;
    rateLimitPer5Min: number;
    managedRuleGroups: ReadonlyArray<{ name: string; countRules: readonly string[] }>;
    /** IP set ARNs, present when the corresponding config list is non-empty. */
    blockIpSetArn?: string;
    allowIpSetArn?: string;
    allowListOnly: boolean;
}

/** A WAFv2 rule in the shape `aws.wafv2.WebAcl` takes (plain values). */
export interface WafRule {
    name: string;
    priority: number;
    action?: { allow?: {}; block?: {}; count?: {} };
    overrideAction?: { none?: {}; count?: {} };
    statement: Record<string, unknown>;
    visibilityConfig: { cloudwatchMetricsEnabled: boolean; metricName: string; sampledRequestsEnabled: boolean };
}

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName: metricName.slice(0, 128), sampledRequestsEnabled: true });

/**
 * Rule order: block list (0), per-IP rate limit (1, allow list exempt), managed rule groups (10+,
 * in config order), and with `allowListOnly` the allow rule last (100) before the default block.
 * Allow-listed clients are still inspected by the managed rules.
 */
export function wafRules(args: WafRuleInputs): WafRule[] {
    const rules: WafRule[] = [];
    if (args.blockIpSetArn) {
        rules.push({
            name: "block-ip-set",
            priority: 0,
            action: { block: {} },
            statement: { ipSetReferenceStatement: { arn: args.blockIpSetArn } },
            visibilityConfig: visibility(`${args.metricPrefix}-block-ip-set`),
        });
    }
    const rate: Record<string, unknown> = { limit: args.rateLimitPer5Min, aggregateKeyType: "IP", evaluationWindowSec: 300 };
    if (args.allowIpSetArn) {
        rate.scopeDownStatement = { notStatement: { statements: [{ ipSetReferenceStatement: { arn: args.allowIpSetArn } }] } };
    }
    rules.push({
        name: "rate-limit-per-ip",
        priority: 1,
        action: { block: {} },
        statement: { rateBasedStatement: rate },
        visibilityConfig: visibility(`${args.metricPrefix}-rate-limit`),
    });
    args.managedRuleGroups.forEach((g, i) => {
        rules.push({
            name: g.name,
            priority: 10 + i,
            overrideAction: { none: {} },
            statement: {
                managedRuleGroupStatement: {
                    name: g.name,
                    vendorName: "AWS",
                    ...(g.countRules.length > 0 ? { ruleActionOverrides: g.countRules.map((name) => ({ name, actionToUse: { count: {} } })) } : {}),
                },
            },
            visibilityConfig: visibility(`${args.metricPrefix}-${g.name}`),
        });
    });
    if (args.allowListOnly && args.allowIpSetArn) {
        rules.push({
            name: "allow-ip-set",
            priority: 100,
            action: { allow: {} },
            statement: { ipSetReferenceStatement: { arn: args.allowIpSetArn } },
            visibilityConfig: visibility(`${args.metricPrefix}-allow-ip-set`),
        });
    }
    return rules;
}

// ---------------------------------------------------------------------------------------------
// API Gateway

export interface ResourceNode {
    /** Full path, e.g. /documents/{id}. */
    path: string;
    /** Parent's full path, or undefined for children of the root resource. */
    parentPath?: string;
    /** Last segment, e.g. {id}. */
    pathPart: string;
}

/** Every resource the routes need, parents before children, each once. */
export function resourceTree(paths: readonly string[]): ResourceNode[] {
    const nodes = new Map<string, ResourceNode>();
    for (const p of paths) {
        const parts = p.split("/").filter((s) => s.length > 0);
        for (let i = 0; i < parts.length; i++) {
            const path = `/${parts.slice(0, i + 1).join("/")}`;
            if (!nodes.has(path)) {
                nodes.set(path, { path, parentPath: i === 0 ? undefined : `/${parts.slice(0, i).join("/")}`, pathPart: parts[i] });
            }
        }
    }
    return [...nodes.values()].sort((a, b) => depth(a.path) - depth(b.path) || a.path.localeCompare(b.path));
}

function depth(path: string): number {
    return path.split("/").length;
}

/** Stable logical-name suffix of a resource path: /documents/{id} -> documents-id. */
export function pathSlug(path: string): string {
    return path
        .split("/")
        .filter((s) => s.length > 0)
        .map((s) => s.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+/g, "-").toLowerCase())
        .join("-");
}

/** Model name (alphanumeric) of a route's request body, e.g. PostSearchBody. */
export function modelName(method: string, path: string): string {
    const words = [method.toLowerCase(), ...pathSlug(path).split("-")].filter((w) => w.length > 0);
    return `${words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join("")}Body`;
}

/**
 * Suffix of the Lambda permission source ARN after the API's execution ARN: `/*` (any stage),
 * the method, the path with path parameters as `*`. e.g. POST /search -> /STAR/POST/search.
 */
export function lambdaSourceArnSuffix(method: string, path: string): string {
    const resource = path
        .split("/")
        .filter((s) => s.length > 0)
        .map((s) => (/^\{.+\}$/.test(s) ? "*" : s))
        .join("/");
    return `/*/${method}/${resource}`;
}

/**
 * API Gateway usage plans count quotas per DAY, WEEK or MONTH, not per hour. "N requests per hour
 * per client" becomes a per-key token bucket refilled at N/3600 requests per second (so a client
 * can never sustain more than N per hour, plus the burst) and a daily quota of 24 x N as the hard
 * ceiling.
 */
export function perClientLimits(requestsPerHour: number, burst: number): { throttle: { rateLimit: number; burstLimit: number }; quota: { limit: number; period: "DAY" } } {
    if (!(requestsPerHour > 0) || !(burst > 0)) {
        throw new Error(`requestsPerHour and burst must be positive, got ${requestsPerHour} and ${burst}`);
    }
    return {
        throttle: { rateLimit: Math.round((requestsPerHour / 3600) * 10000) / 10000, burstLimit: burst },
        quota: { limit: requestsPerHour * 24, period: "DAY" },
    };
}

/** Content of the Deployment trigger: any change to routes, auth or CORS redeploys the stage. */
export function redeploymentHash(value: unknown): string {
    return createHash("sha256").update(stableJson(value)).digest("hex");
}

function stableJson(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(stableJson).join(",")}]`;
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>)
            .filter(([, v]) => v !== undefined)
            .sort(([a], [b]) => a.localeCompare(b));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(",")}}`;
    }
    return JSON.stringify(value);
}

/** JSON access-log line of the stage ($context variables of API Gateway REST APIs). */
export const ACCESS_LOG_FORMAT = JSON.stringify({
    requestId: "$context.requestId",
    extendedRequestId: "$context.extendedRequestId",
    ip: "$context.identity.sourceIp",
    userAgent: "$context.identity.userAgent",
    caller: "$context.authorizer.claims.sub",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    resourcePath: "$context.resourcePath",
    status: "$context.status",
    protocol: "$context.protocol",
    responseLength: "$context.responseLength",
    integrationLatency: "$context.integration.latency",
    responseLatency: "$context.responseLatency",
    wafStatus: "$context.waf.status",
    xrayTraceId: "$context.xrayTraceId",
});

/** Log group names API Gateway writes to (account role scope and the pre-created groups). */
export function executionLogGroupName(restApiId: string, stageName: string): string {
    return `API-Gateway-Execution-Logs_${restApiId}/${stageName}`;
}
export function accessLogGroupName(namePrefix: string): string {
    return `/aws/apigateway/${namePrefix}-api`;
}

/**
 * Inline policy of the account-level API Gateway CloudWatch role (the named actions of the
 * AWS managed AmazonAPIGatewayPushToCloudWatchLogs policy, scoped to the log groups API Gateway
 * writes: execution logs and the platform's `/aws/apigateway/*` access-log groups).
 */
export function apiGatewayCloudWatchPolicy(args: { partition: string; region: string; accountId: string }): PolicyDocument {
    const base = `arn:${args.partition}:logs:${args.region}:${args.accountId}:log-group`;
    const groups = [`${base}:API-Gateway-Execution-Logs_*`, `${base}:/aws/apigateway/*`];
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "WriteApiGatewayLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents", "logs:GetLogEvents", "logs:FilterLogEvents"],
                Resource: [...groups, ...groups.map((g) => `${g}:log-stream:*`)],
            },
            { Sid: "ListLogGroups", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
        ],
    };
}

/** A role trust policy: statements name principals, never resources. */
export interface TrustPolicy {
    Version: "2012-10-17";
    Statement: Array<Omit<PolicyStatement, "Resource">>;
}

/** Trust policy for a role assumed by one AWS service, pinned to this account. */
export function serviceTrustPolicy(service: string, accountId: string): TrustPolicy {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

/** Trust policy of the identity pool's authenticated role (web identity, this pool, signed-in only). */
export function identityPoolTrustPolicy(identityPoolId: string): TrustPolicy {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Federated: "cognito-identity.amazonaws.com" },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: { "cognito-identity.amazonaws.com:aud": identityPoolId },
                    "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
                },
            },
        ],
    };
}

// ---------------------------------------------------------------------------------------------
// Names

/** Names of WAF log groups: WAF only delivers to log groups named aws-waf-logs-*. */
export function wafLogGroupName(namePrefix: string, scope: "cloudfront" | "regional"): string {
    return `aws-waf-logs-${namePrefix}-${scope}`;
}

/** Validation record domains: a wildcard shares its base name's record, so each is listed once. */
export function validationDomains(domains: readonly string[]): string[] {
    return [...new Set(domains.map((d) => d.replace(/^\*\./, "")))];
}
