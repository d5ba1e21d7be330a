import { strict as assert } from "assert";
import { parseStackConfig, StackConfig } from "../components/config";
import { crossCheck, inZone } from "../components/edge/schema";
import {
    apiGatewayCloudWatchPolicy,
    appConnectSources,
    contentSecurityPolicy,
    identityPoolTrustPolicy,
    lambdaSourceArnSuffix,
    modelName,
    pathSlug,
    perClientLimits,
    redeploymentHash,
    resourceTree,
    staticSiteBucketPolicy,
    validationDomains,
    wafRules,
} from "../components/edge/policies";
import { UNSCOPABLE_ACTIONS } from "../policypack/allowlists";
import { configErrorOf } from "./harness";

const problemsOf = (r: Record<string, any>, stack = "prod"): string => configErrorOf(r, stack).message;

const DIST = "arn:aws:cloudfront::123456789012:distribution/E2ABCDEF";
const BUCKET = "arn:aws:s3:::ragplatform-prod-static-site";

describe("edge/policies: static-site bucket policy", () => {
    const doc = staticSiteBucketPolicy({ bucketArn: BUCKET, distributionArn: DIST });
    it("lets only this distribution read (OAC service principal + SourceArn)", () => {
        const allows = doc.Statement.filter((s) => s.Effect === "Allow");
        assert.equal(allows.length, 2);
        for (const s of allows) {
            assert.deepEqual(s.Principal, { Service: "cloudfront.amazonaws.com" });
            assert.deepEqual(s.Condition, { StringEquals: { "AWS:SourceArn": DIST } });
        }
        assert.deepEqual(
            allows.map((s) => [s.Action, s.Resource]),
            [
                ["s3:GetObject", `${BUCKET}/*`],
                ["s3:ListBucket", BUCKET],
            ],
        );
    });
    it("denies every request without TLS on the bucket and its objects", () => {
        const deny = doc.Statement.find((s) => s.Effect === "Deny")!;
        assert.equal(deny.Principal, "*");
        assert.deepEqual(deny.Resource, [BUCKET, `${BUCKET}/*`]);
        assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
    });
});

describe("edge/policies: security headers", () => {
    it("CSP forbids framing and plugins and allows the API and Cognito for fetch", () => {
        const csp = contentSecurityPolicy(appConnectSources({ region: "ap-northeast-1", apiDomain: "api.example.com" }));
        for (const part of ["default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "upgrade-insecure-requests"]) {
            assert.ok(csp.includes(part), `${part} missing in ${csp}`);
        }
        assert.match(csp, /connect-src 'self' https:\/\/api\.example\.com https:\/\/\*\.execute-api\.ap-northeast-1\.amazonaws\.com https:\/\/cognito-idp\.ap-northeast-1\.amazonaws\.com/);
    });
    it("built-in CSP stays within CloudFront's 1783-character header limit", () => {
        assert.ok(contentSecurityPolicy(appConnectSources({ region: "ap-northeast-1", apiDomain: "api.example.com", extra: ["https://a.example.com"] })).length < 1783);
    });
    it("lists each connect source once", () => {
        const csp = contentSecurityPolicy(["https://a.example.com", "https://a.example.com"]);
        assert.equal(csp.split("https://a.example.com").length - 1, 1);
    });
});

describe("edge/policies: WAF rules", () => {
    const groups = [
        { name: "AWSManagedRulesAmazonIpReputationList", countRules: [] },
        { name: "AWSManagedRulesCommonRuleSet", countRules: ["SizeRestrictions_BODY"] },
    ];
    const base = { metricPrefix: "p-cloudfront", rateLimitPer5Min: 2000, managedRuleGroups: groups, allowListOnly: false };
    const cases: Array<{ name: string; args: Partial<Parameters<typeof wafRules>[0]>; expect: string[] }> = [
        { name: "no IP sets", args: {}, expect: ["1 rate-limit-per-ip", "10 AWSManagedRulesAmazonIpReputationList", "11 AWSManagedRulesCommonRuleSet"] },
        { name: "block list", args: { blockIpSetArn: "arn:block" }, expect: ["0 block-ip-set", "1 rate-limit-per-ip", "10 AWSManagedRulesAmazonIpReputationList", "11 AWSManagedRulesCommonRuleSet"] },
        { name: "allow list (rate-limit exemption only)", args: { allowIpSetArn: "arn:allow" }, expect: ["1 rate-limit-per-ip", "10 AWSManagedRulesAmazonIpReputationList", "11 AWSManagedRulesCommonRuleSet"] },
        {
            name: "allow list only",
            args: { allowIpSetArn: "arn:allow", allowListOnly: true },
            expect: ["1 rate-limit-per-ip", "10 AWSManagedRulesAmazonIpReputationList", "11 AWSManagedRulesCommonRuleSet", "100 allow-ip-set"],
        },
    ];
    for (const c of cases) {
        it(`${c.name}: ${c.expect.join(", ")}`, () => {
            const rules = wafRules({ ...base, ...c.args });
            assert.deepEqual(
                rules.map((r) => `${r.priority} ${r.name}`),
                c.expect,
            );
            assert.equal(new Set(rules.map((r) => r.priority)).size, rules.length, "priorities are unique");
        });
    }
    it("rate limit is per IP over 5 minutes and exempts the allow list", () => {
        const rate = wafRules({ ...base, allowIpSetArn: "arn:allow" }).find((r) => r.name === "rate-limit-per-ip")!;
        assert.deepEqual(rate.action, { block: {} });
        assert.deepEqual(rate.statement, {
            rateBasedStatement: { limit: 2000, aggregateKeyType: "IP", evaluationWindowSec: 300, scopeDownStatement: { notStatement: { statements: [{ ipSetReferenceStatement: { arn: "arn:allow" } }] } } },
        });
    });
    it("managed groups keep their own actions, with chosen rules switched to count", () => {
        const common = wafRules(base).find((r) => r.name === "AWSManagedRulesCommonRuleSet")!;
        assert.deepEqual(common.overrideAction, { none: {} });
        assert.deepEqual(common.statement, {
            managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS", ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }] },
        });
        const rep = wafRules(base).find((r) => r.name === "AWSManagedRulesAmazonIpReputationList")!;
        assert.deepEqual(rep.statement, { managedRuleGroupStatement: { name: "AWSManagedRulesAmazonIpReputationList", vendorName: "AWS" } });
    });
});

describe("edge/policies: API resource tree and names", () => {
    it("creates every segment once, parents first", () => {
        assert.deepEqual(resourceTree(["/search", "/documents/{id}/chunks", "/documents", "/health"]), [
            { path: "/documents", parentPath: undefined, pathPart: "documents" },
            { path: "/health", parentPath: undefined, pathPart: "health" },
            { path: "/search", parentPath: undefined, pathPart: "search" },
            { path: "/documents/{id}", parentPath: "/documents", pathPart: "{id}" },
            { path: "/documents/{id}/chunks", parentPath: "/documents/{id}", pathPart: "chunks" },
        ]);
    });
    const names: Array<[string, string, string, string]> = [
        ["POST", "/search", "search", "PostSearchBody"],
        ["PUT", "/documents/{id}", "documents-id", "PutDocumentsIdBody"],
        ["POST", "/upload_v2", "upload-v2", "PostUploadV2Body"],
    ];
    for (const [method, path, slug, model] of names) {
        it(`${method} ${path} -> ${slug}, ${model}`, () => {
            assert.equal(pathSlug(path), slug);
            assert.equal(modelName(method, path), model);
            assert.match(model, /^[A-Za-z0-9]+$/);
        });
    }
    const arns: Array<[string, string, string]> = [
        ["GET", "/health", "/*/GET/health"],
        ["POST", "/search", "/*/POST/search"],
        ["DELETE", "/documents/{id}", "/*/DELETE/documents/*"],
    ];
    for (const [method, path, suffix] of arns) {
        it(`Lambda permission source ARN of ${method} ${path} ends with ${suffix}`, () => {
            assert.equal(lambdaSourceArnSuffix(method, path), suffix);
        });
    }
    it("the redeployment hash ignores key order and changes with the routes", () => {
        const a = redeploymentHash({ routes: [{ path: "/a", method: "GET" }], cors: { x: 1 } });
        assert.equal(a, redeploymentHash({ cors: { x: 1 }, routes: [{ method: "GET", path: "/a" }] }));
        assert.notEqual(a, redeploymentHash({ routes: [{ path: "/a", method: "POST" }], cors: { x: 1 } }));
    });
});

describe("edge/policies: per-client limits (seed 000: 1000 requests/hour)", () => {
    const cases: Array<[number, number, number, number]> = [
        [1000, 20, 0.2778, 24000],
        [3600, 50, 1, 86400],
        [36, 5, 0.01, 864],
    ];
    for (const [perHour, burst, rate, daily] of cases) {
        it(`${perHour}/hour -> ${rate} rps burst ${burst}, ${daily}/DAY`, () => {
            assert.deepEqual(perClientLimits(perHour, burst), { throttle: { rateLimit: rate, burstLimit: burst }, quota: { limit: daily, period: "DAY" } });
        });
    }
    it("never lets a client sustain more than the hourly figure (plus one burst)", () => {
        const { throttle } = perClientLimits(1000, 20);
        assert.ok(throttle.rateLimit * 3600 + throttle.burstLimit <= 1000 + 20 + 1);
    });
    it("rejects non-positive limits", () => {
        assert.throws(() => perClientLimits(0, 10), /must be positive/);
    });
});

describe("edge/policies: IAM", () => {
    it("API Gateway's CloudWatch role: named log actions on log-group ARNs, '*' only for allowlisted actions", () => {
        const doc = apiGatewayCloudWatchPolicy({ partition: "aws", region: "ap-northeast-1", accountId: "123456789012" });
        for (const s of doc.Statement) {
            const actions = ([] as string[]).concat(s.Action);
            const resources = ([] as string[]).concat(s.Resource);
            assert.ok(actions.every((a) => !a.includes("*")), `wildcard action in ${actions}`);
            if (resources.includes("*")) {
                assert.ok(actions.every((a) => UNSCOPABLE_ACTIONS.includes(a)), `${actions} on * not allowlisted`);
            } else {
                assert.ok(resources.every((r) => r.startsWith("arn:aws:logs:ap-northeast-1:123456789012:log-group:")), `${resources}`);
            }
        }
        assert.ok(doc.Statement[0].Resource.includes("arn:aws:logs:ap-northeast-1:123456789012:log-group:API-Gateway-Execution-Logs_*"));
    });
    it("identity pool role: only signed-in identities of this pool", () => {
        const s = identityPoolTrustPolicy("ap-northeast-1:abc").Statement[0];
        assert.deepEqual(s.Condition, {
            StringEquals: { "cognito-identity.amazonaws.com:aud": "ap-northeast-1:abc" },
            "ForAnyValue:StringLike": { "cognito-identity.amazonaws.com:amr": "authenticated" },
        });
        assert.equal(s.Action, "sts:AssumeRoleWithWebIdentity");
    });
    it("validation domains: a wildcard shares its base name's record", () => {
        assert.deepEqual(validationDomains(["example.com", "*.example.com", "api.example.com"]), ["example.com", "api.example.com"]);
    });
    it("inZone", () => {
        assert.ok(inZone("app.example.com", "example.com"));
        assert.ok(inZone("example.com", "example.com"));
        assert.ok(!inZone("badexample.com", "example.com"));
    });
});

// ---------------------------------------------------------------------------------------------
// Schema

const AZS = ["ap-northeast-1a", "ap-northeast-1c"];
function raw(env: "dev" | "prod", edge: Record<string, unknown> = {}): Record<string, any> {
    return { region: "ap-northeast-1", environment: env, project: "ragplatform", owner: "platform-team", protectData: env === "prod", network: { azs: [...AZS] }, edge };
}

describe("edge/schema: defaults", () => {
    it("are production-safe", () => {
        const edge = parseStackConfig(raw("prod"), "prod").edge;
        assert.equal(edge.domain, undefined);
        assert.equal(edge.cdn.defaultTtlSeconds, 3600);
        assert.deepEqual([...edge.cdn.dynamicPaths], ["/api/*"]);
        assert.deepEqual(
            edge.cdn.errorPages.map((p) => p.errorCode),
            [404, 500],
        );
        assert.deepEqual(
            edge.waf.managedRuleGroups.map((g) => g.name),
            ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"],
        );
        assert.equal(edge.waf.regional.associateAlb, false);
        assert.deepEqual({ mfa: edge.auth.mfa, plan: edge.auth.featurePlan, sec: edge.auth.advancedSecurity, del: edge.auth.deletionProtection }, { mfa: "ON", plan: "PLUS", sec: "ENFORCED", del: true });
        assert.deepEqual(
            edge.api.routes.map((r) => `${r.method} ${r.path} ${r.auth ? "auth" : "open"}`),
            ["GET /health open", "POST /search auth", "POST /check auth", "POST /upload auth"],
        );
        assert.equal(edge.api.perClient.requestsPerHour, 1000);
        assert.equal(edge.api.xrayTracing, true);
    });
});

const BROKEN: Array<{ name: string; env?: "dev" | "prod"; edge: Record<string, unknown>; expect: string[] }> = [
    {
        name: "a domain without a hosted zone",
        edge: { domain: { zoneName: "example.com", site: "app.example.com" } },
        expect: [
            "edge.domain.hostedZoneId: a custom domain (app.example.com) needs the Route53 hosted zone that serves example.com",
            "fix: pulumi config set --path 'edge.domain.hostedZoneId' <id from 'aws route53 list-hosted-zones-by-name --dns-name example.com'> --stack prod",
        ],
    },
    {
        name: "a site name outside the zone",
        edge: { domain: { zoneName: "example.com", hostedZoneId: "Z0123456789ABC", site: "app.example.org" } },
        expect: ["edge.domain.site: app.example.org is not inside the hosted zone example.com"],
    },
    {
        name: "an invalid CIDR in an IP set",
        edge: { waf: { ipSets: { block: ["203.0.113.0/24", "198.51.100.7/24"], allow: ["10.0.0.300/32"] } } },
        expect: [
            'edge.waf.ipSets.block[1]: 198.51.100.7/24 has host bits set; the network address is 198.51.100.0/24, got "198.51.100.7/24"',
            'edge.waf.ipSets.allow[0]: octets must be 0-255, got "10.0.0.300/32"',
        ],
    },
    {
        name: "a CloudFront web ACL placed outside us-east-1",
        edge: { waf: { region: "ap-northeast-1" } },
        expect: ['edge.waf.region: a web ACL for CloudFront (scope CLOUDFRONT) can only live in us-east-1, got "ap-northeast-1"', "fix: pulumi config rm --path 'edge.waf.region' --stack prod"],
    },
    {
        name: "allow-list-only mode with an empty allow list",
        edge: { waf: { allowListOnly: true } },
        expect: ["edge.waf.allowListOnly: allowListOnly blocks every client not in edge.waf.ipSets.allow, which is empty"],
    },
    {
        name: "prod without user pool deletion protection or threat protection",
        edge: { auth: { deletionProtection: false, advancedSecurity: "AUDIT" } },
        expect: ["edge.auth.deletionProtection: prod must keep user pool deletion protection", "edge.auth.advancedSecurity: prod must enforce Cognito threat protection, got AUDIT"],
    },
    {
        name: "threat protection without the PLUS plan",
        env: "dev",
        edge: { auth: { featurePlan: "ESSENTIALS" } },
        expect: ["edge.auth.advancedSecurity: threat protection (ENFORCED) needs the PLUS feature plan, got featurePlan ESSENTIALS"],
    },
    {
        name: "an http callback URL that is not localhost",
        edge: { auth: { callbackUrls: ["http://app.example.com/cb"] } },
        expect: ['edge.auth.callbackUrls[0]: expected an https:// URL (http:// only for localhost), got "http://app.example.com/cb"'],
    },
    {
        name: "duplicate routes and a body schema on GET",
        edge: { api: { routes: [{ path: "/a", method: "GET", function: "api", requestSchema: { type: "object" } }, { path: "/a", method: "GET", function: "api" }] } },
        expect: ["edge.api.routes[1]: duplicate route GET /a", "edge.api.routes[0].requestSchema: GET requests have no body to validate"],
    },
    {
        name: "a route path with a trailing slash",
        edge: { api: { routes: [{ path: "/search/", method: "POST", function: "api" }] } },
        expect: ["edge.api.routes[0].path: expected an API path such as /search or /documents/{id} (no trailing slash)"],
    },
    {
        name: "a project name Cognito rejects as hosted-UI prefix",
        env: "dev",
        edge: { auth: { featurePlan: "PLUS" } },
        expect: ["edge.auth.domainPrefix: the default hosted-UI prefix awsome-rag-dev contains aws, amazon or cognito"],
    },
    {
        name: "a misspelt key",
        edge: { wafs: {} },
        expect: ['edge: Unrecognized key: "wafs"'],
    },
];

describe("edge/schema: broken configurations", () => {
    for (const c of BROKEN) {
        it(c.name, () => {
            const stack = c.env ?? "prod";
            const r = raw(stack, c.edge);
            if (c.name.startsWith("a project name")) {
                r.project = "awsome-rag";
            }
            const message = problemsOf(r, stack);
            for (const line of c.expect) {
                assert.ok(message.includes(line.replace("--stack prod", `--stack ${stack}`)), `missing:\n  ${line}\nin:\n${message}`);
            }
        });
    }

    it("a route naming a function the compute tier does not declare", () => {
        const cfg = parseStackConfig(raw("prod"), "prod");
        const withCompute = { ...cfg, compute: { functions: { ingest: {}, query: {} } } } as unknown as StackConfig;
        const found: string[] = [];
        crossCheck(withCompute, (path, message) => found.push(`${path}: ${message}`));
        assert.equal(found.length, 4);
        assert.equal(found[0], 'edge.api.routes[0].function: no function "rag-api" in compute.functions; expected one of ingest, query');
    });
    it("a route to a function that does not declare the api trigger", () => {
        const cfg = parseStackConfig(raw("prod"), "prod");
        const withCompute = { ...cfg, compute: { functions: { "rag-api": { triggers: { api: false } } } } } as unknown as StackConfig;
        const found: string[] = [];
        crossCheck(withCompute, (path, message, fix) => found.push(`${path}: ${message} | ${fix}`));
        assert.equal(found.length, 4);
        assert.equal(
            found[1],
            "compute.functions.rag-api.triggers.api: edge.api.routes[1] (POST /search) exposes rag-api through API Gateway, but the function does not declare the api trigger | pulumi config set --path 'compute.functions.rag-api.triggers.api' true --stack prod, or remove the route",
        );
        const ok: string[] = [];
        crossCheck({ ...cfg, compute: { functions: { "rag-api": { triggers: { api: true } } } } } as unknown as StackConfig, (path) => ok.push(path));
        assert.deepEqual(ok, []);
    });
    it("routes are not checked while compute declares no function (no API is built then)", () => {
        const cfg = parseStackConfig(raw("prod"), "prod");
        const found: string[] = [];
        crossCheck(cfg, (path, message) => found.push(`${path}: ${message}`));
        assert.deepEqual(found, []);
    });
});
