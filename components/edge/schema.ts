/**
 * Stack configuration of the edge tier (`platform:edge`), validated by components/config.ts.
 *
 * The edge is the only way in from the internet: CloudFront (static site from a private bucket,
 * dynamic paths to the ALB), WAF, certificates and DNS, Cognito and the API Gateway REST API.
 * Every field defaults to the production-safe value; dev and staging override in their stack files.
 */
import { z } from "zod";
import { cidrString, logRetentionDays, Report } from "../validation";
import type { StackConfig } from "../config";

/** A lower-case DNS name such as app.example.com. */
export const hostname = z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "expected a lower-case DNS name such as app.example.com");

/** A CloudFront path pattern such as /api/*. */
const pathPattern = z.string().regex(/^\/[A-Za-z0-9_\-./*?]*$/, "expected a CloudFront path pattern such as /api/*");

/** An API resource path such as /search or /documents/{id}. */
export const apiPath = z
    .string()
    .regex(/^\/([A-Za-z0-9_.-]+|\{[A-Za-z0-9_]+\})(\/([A-Za-z0-9_.-]+|\{[A-Za-z0-9_]+\}))*$/, "expected an API path such as /search or /documents/{id} (no trailing slash)");

/** An https URL, or http on localhost for local development (Cognito accepts only these). */
const redirectUrl = z
    .string()
    .regex(/^(https:\/\/[^\s]+|http:\/\/localhost(:\d+)?(\/[^\s]*)?)$/, "expected an https:// URL (http:// only for localhost)");

/** The AWS managed rule groups the platform enables by default (issue 5, seed 003 L). */
export const DEFAULT_MANAGED_RULE_GROUPS = [
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesSQLiRuleSet",
] as const;

/** CloudFront returns these status codes through custom error responses. */
export const CLOUDFRONT_ERROR_CODES = [400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504] as const;

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

const managedRuleGroup = z
    .object({
        /** AWS managed rule group name, e.g. AWSManagedRulesCommonRuleSet. */
        name: z.string().regex(/^AWSManagedRules[A-Za-z0-9]+$/, "expected an AWS managed rule group name such as AWSManagedRulesCommonRuleSet"),
        /** Rules of the group switched to COUNT (e.g. SizeRestrictions_BODY for large uploads). @default [] */
        countRules: z.array(z.string().min(1)).default([]),
    })
    .strict();

const route = z
    .object({
        /** Resource path, e.g. /search. */
        path: apiPath,
        method: z.enum(HTTP_METHODS),
        /** Name of a function in `compute.functions` that serves the route (Lambda proxy integration). */
        function: z.string().min(1),
        /** Require a Cognito access/id token. Only health checks should say false. @default true */
        auth: z.boolean().default(true),
        /** JSON Schema (draft 4) of the request body; API Gateway rejects bodies that do not match. */
        requestSchema: z.record(z.string(), z.unknown()).optional(),
    })
    .strict();

/** Seed 000 INFRA-004: /health (no auth), /search, /check, /upload (Cognito), all served by the FastAPI+Mangum function `rag-api` (INFRA-005). */
export function defaultRoutes(): z.output<typeof route>[] {
    return [
        { path: "/health", method: "GET", function: "rag-api", auth: false },
        { path: "/search", method: "POST", function: "rag-api", auth: true, requestSchema: { type: "object", required: ["query"], properties: { query: { type: "string", minLength: 1, maxLength: 2000 } } } },
        { path: "/check", method: "POST", function: "rag-api", auth: true, requestSchema: { type: "object" } },
        { path: "/upload", method: "POST", function: "rag-api", auth: true, requestSchema: { type: "object" } },
    ];
}

export const schema = z
    .object({
        /**
         * Custom domain. Without it the stack deploys on the default CloudFront domain and the
         * execute-api URL. With it: ACM certificates (us-east-1 for CloudFront, the stack region for
         * the API) validated through the hosted zone, alias records and Route53 health checks.
         */
        domain: z
            .object({
                /** The hosted zone's domain, e.g. example.com. */
                zoneName: hostname,
                /** Route53 hosted zone id that serves `zoneName`, e.g. Z0123456789ABCDEFGHIJ. Required with a domain. */
                hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,32}$/, "expected a Route53 hosted zone id such as Z0123456789ABCDEFGHIJ").optional(),
                /** Name of the site (CloudFront alias). @default zoneName */
                site: hostname.optional(),
                /** Name of the API (API Gateway regional custom domain). Optional. */
                api: hostname.optional(),
                /**
                 * Name CloudFront uses to reach the ALB over HTTPS (an alias record to the ALB). The ALB's
                 * certificate (compute tier) must cover it. Needed when the ALB origin is https-only.
                 */
                origin: hostname.optional(),
                /** Route53 health checks on the site and the API /health. @default true */
                healthChecks: z.boolean().default(true),
            })
            .strict()
            .optional(),
        cdn: z
            .object({
                /** PriceClass_100 (NA+EU), PriceClass_200 (+Asia incl. Japan), PriceClass_All. @default PriceClass_200 */
                priceClass: z.enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"]).default("PriceClass_200"),
                /** Default TTL of static content, seconds (seed 002 §1.3: 1 hour). @default 3600 */
                defaultTtlSeconds: z.number().int().min(0).max(31536000).default(3600),
                minTtlSeconds: z.number().int().min(0).max(31536000).default(0),
                maxTtlSeconds: z.number().int().min(0).max(31536000).default(86400),
                /** Paths served by the ALB, uncached. @default ["/api/*"] */
                dynamicPaths: z.array(pathPattern).min(1).max(20).default(["/api/*"]),
                /** Custom error pages (seed 002 §1.3: 404 and 500), objects in the static-site bucket. */
                errorPages: z
                    .array(
                        z
                            .object({
                                errorCode: z.number().int().refine((c) => (CLOUDFRONT_ERROR_CODES as readonly number[]).includes(c), { message: `expected one of ${CLOUDFRONT_ERROR_CODES.join(", ")}` }),
                                pagePath: z.string().regex(/^\/[^\s]+$/, "expected an object path such as /404.html"),
                                responseCode: z.number().int().min(200).max(599),
                                cachingMinTtlSeconds: z.number().int().min(0).max(31536000).default(10),
                            })
                            .strict(),
                    )
                    .default([
                        { errorCode: 404, pagePath: "/404.html", responseCode: 404, cachingMinTtlSeconds: 60 },
                        { errorCode: 500, pagePath: "/500.html", responseCode: 500, cachingMinTtlSeconds: 10 },
                    ]),
                /**
                 * The whole Content-Security-Policy, replacing the built-in one (same-origin, connect-src the
                 * API and Cognito, no framing). Use when the web app needs other script/style sources.
                 */
                contentSecurityPolicy: z
                    .string()
                    .min(1)
                    .max(1783, "CloudFront accepts at most 1783 characters")
                    .refine((v) => !/[\r\n]/.test(v), { message: "expected one line" })
                    .optional(),
                /** Extra sources for the CSP connect-src (the API and Cognito origins are added automatically). */
                connectSources: z.array(z.string().regex(/^https:\/\/[^\s;]+$/, "expected an https:// origin")).default([]),
                /** Strict-Transport-Security max-age, seconds. @default 63072000 (2 years) */
                hstsMaxAgeSeconds: z.number().int().min(86400).max(63072000).default(63072000),
                /**
                 * Access logs to the logs bucket under `cloudfront/`. `legacy` (default): standard logging
                 * through the distribution's loggingConfig; needs ACLs enabled on the logs bucket (the data
                 * tier keeps BucketOwnerPreferred for it). `v2`: CloudWatch vended log delivery from us-east-1
                 * (works with ACLs disabled; the logs bucket policy must allow delivery.logs.amazonaws.com).
                 */
                accessLogs: z
                    .object({
                        enabled: z.boolean().default(true),
                        mode: z.enum(["legacy", "v2"]).default("legacy"),
                        /** v2 only. @default parquet */
                        outputFormat: z.enum(["json", "plain", "w3c", "parquet"]).default("parquet"),
                        /** legacy only: log cookies (may contain session data). @default false */
                        includeCookies: z.boolean().default(false),
                    })
                    .strict()
                    .prefault({}),
                geoRestriction: z
                    .object({
                        type: z.enum(["none", "whitelist", "blacklist"]).default("none"),
                        /** ISO 3166-1 alpha-2 country codes. */
                        locations: z.array(z.string().regex(/^[A-Z]{2}$/, "expected an ISO 3166-1 alpha-2 code such as JP")).default([]),
                    })
                    .strict()
                    .prefault({}),
            })
            .strict()
            .prefault({}),
        waf: z
            .object({
                /**
                 * Not a setting: a CloudFront web ACL (scope CLOUDFRONT) only exists in us-east-1 and the
                 * platform always creates it there. Accepted only as `us-east-1` so that a misplaced
                 * value fails loudly instead of being ignored.
                 */
                region: z.string().optional(),
                /** Requests per client IP per 5 minutes before the IP is blocked. @default 2000 */
                rateLimitPer5Min: z.number().int().min(10).max(2000000000).default(2000),
                managedRuleGroups: z.array(managedRuleGroup).min(1).default(DEFAULT_MANAGED_RULE_GROUPS.map((name) => ({ name, countRules: [] }))),
                /** IPv4 CIDRs (seed 003 L). `block` is always denied; `allow` is exempt from the rate limit. */
                ipSets: z
                    .object({
                        allow: z.array(cidrString).default([]),
                        block: z.array(cidrString).default([]),
                    })
                    .strict()
                    .prefault({}),
                /** Only `ipSets.allow` may reach the site and the API (default action block). @default false */
                allowListOnly: z.boolean().default(false),
                /** WAF log retention (CloudWatch Logs, authorization header redacted). @default 90 */
                logRetentionDays: logRetentionDays.default(90),
                /**
                 * The REGIONAL web ACL (same rules) is always associated with the API stage: the REST API is
                 * reachable from the internet on its own endpoint. `associateAlb` also puts it on the ALB
                 * (normally only reachable through CloudFront with the origin-verify header). @default false
                 */
                regional: z
                    .object({
                        associateAlb: z.boolean().default(false),
                    })
                    .strict()
                    .prefault({}),
            })
            .strict()
            .prefault({}),
        auth: z
            .object({
                /** OPTIONAL lets users enrol a TOTP app; ON requires it. @default ON */
                mfa: z.enum(["OPTIONAL", "ON"]).default("ON"),
                /** Cognito feature plan; threat protection (advanced security) needs PLUS. @default PLUS */
                featurePlan: z.enum(["ESSENTIALS", "PLUS"]).default("PLUS"),
                /** Threat protection mode (userPoolAddOns.advancedSecurityMode). @default ENFORCED */
                advancedSecurity: z.enum(["ENFORCED", "AUDIT", "OFF"]).default("ENFORCED"),
                /** Extra OAuth callback URLs (the site's <origin>/auth/callback is always allowed), e.g. localhost in dev. */
                callbackUrls: z.array(redirectUrl).default([]),
                /** Extra sign-out URLs (the site's <origin>/ is always allowed). */
                logoutUrls: z.array(redirectUrl).default([]),
                tokenValidity: z
                    .object({
                        accessTokenMinutes: z.number().int().min(5).max(1440).default(60),
                        idTokenMinutes: z.number().int().min(5).max(1440).default(60),
                        refreshTokenDays: z.number().int().min(1).max(3650).default(30),
                    })
                    .strict()
                    .prefault({}),
                /** Hosted UI domain prefix (globally unique per region). @default <project>-<stack> */
                domainPrefix: z
                    .string()
                    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, "expected lower-case letters, digits and dashes")
                    .refine((v) => !/aws|amazon|cognito/.test(v), { message: "Cognito rejects domain prefixes containing aws, amazon or cognito" })
                    .optional(),
                /** Users may sign themselves up (otherwise administrators invite them). @default false */
                selfSignUp: z.boolean().default(false),
                /** User pool deletion protection. Prod must keep it. @default true */
                deletionProtection: z.boolean().default(true),
            })
            .strict()
            .prefault({}),
        api: z
            .object({
                /** Stage name. @default the environment (dev, staging, prod; seed 000 INFRA-004) */
                stageName: z.string().regex(/^[A-Za-z0-9_]{1,64}$/, "expected letters, digits and underscores").optional(),
                routes: z.array(route).min(1).default(defaultRoutes),
                cors: z
                    .object({
                        /** Allowed origin. @default the site origin (custom domain or CloudFront domain) */
                        allowOrigin: z.string().regex(/^https:\/\/[^\s/]+$|^http:\/\/localhost(:\d+)?$/, "expected an origin such as https://app.example.com").optional(),
                        allowHeaders: z.array(z.string().min(1)).default(["Content-Type", "Authorization", "X-Amz-Date", "X-Api-Key", "X-Amz-Security-Token"]),
                        maxAgeSeconds: z.number().int().min(0).max(86400).default(600),
                    })
                    .strict()
                    .prefault({}),
                /** Stage-wide throttling of all clients together (token bucket). */
                throttle: z
                    .object({
                        rateLimit: z.number().min(1).max(10000).default(100),
                        burstLimit: z.number().int().min(1).max(5000).default(200),
                    })
                    .strict()
                    .prefault({}),
                /**
                 * Per-client limit (seed 000: 1000 requests/hour). API Gateway usage plans have no hourly
                 * quota: it becomes a per-key token bucket of requestsPerHour/3600 rps (burst `burst`) and
                 * a daily quota of 24 x requestsPerHour. See README.
                 */
                perClient: z
                    .object({
                        requestsPerHour: z.number().int().min(1).max(10000000).default(1000),
                        burst: z.number().int().min(1).max(5000).default(20),
                        /** API key names issued for the usage plan (one per client application). */
                        apiKeys: z.array(z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, "expected a short lower-case name")).default([]),
                        /** Require the x-api-key header on authorised routes. @default false */
                        requireApiKey: z.boolean().default(false),
                    })
                    .strict()
                    .prefault({}),
                /** Execution logging level (MethodSettings). @default ERROR */
                loggingLevel: z.enum(["INFO", "ERROR"]).default("ERROR"),
                /** Access and execution log retention. @default 90 (seed 001 prod access logs) */
                logRetentionDays: logRetentionDays.default(90),
                /** X-Ray tracing on the stage (seed 001 AC-OPS-3). @default true */
                xrayTracing: z.boolean().default(true),
                /**
                 * Set API Gateway's account-level CloudWatch role in this region (one setting per account
                 * and region: when several stacks share an account, let exactly one of them manage it). @default true
                 */
                manageAccountSettings: z.boolean().default(true),
            })
            .strict()
            .prefault({}),
    })
    .strict();

export type EdgeConfig = z.output<typeof schema>;
/** The validated, frozen section as components receive it. */
export type EdgeSettings = StackConfig["edge"];

/** The compute section's functions, read through the contract (compute may not be in StackConfig yet). */
function computeFunctions(cfg: StackConfig): Readonly<Record<string, { triggers?: { api?: boolean } }>> | undefined {
    return (cfg as unknown as { compute?: { functions?: Record<string, { triggers?: { api?: boolean } }> } }).compute?.functions;
}

/** True when `name` is `zone` or a name inside it. */
export function inZone(name: string, zone: string): boolean {
    return name === zone || name.endsWith(`.${zone}`);
}

export function crossCheck(cfg: StackConfig, report: Report): void {
    const edge = (cfg as unknown as { edge: EdgeConfig }).edge;
    const stack = cfg.stack;
    const d = edge.domain;
    if (d) {
        if (d.hostedZoneId === undefined) {
            report(
                "edge.domain.hostedZoneId",
                `a custom domain (${d.site ?? d.zoneName}) needs the Route53 hosted zone that serves ${d.zoneName}: ACM validates the certificates through it and the alias records live in it; expected a hosted zone id such as Z0123456789ABCDEFGHIJ, got nothing`,
                `pulumi config set --path 'edge.domain.hostedZoneId' <id from 'aws route53 list-hosted-zones-by-name --dns-name ${d.zoneName}'> --stack ${stack}, or remove edge.domain to use the default CloudFront domain`,
            );
        }
        for (const key of ["site", "api", "origin"] as const) {
            const name = d[key];
            if (name !== undefined && !inZone(name, d.zoneName)) {
                report(`edge.domain.${key}`, `${name} is not inside the hosted zone ${d.zoneName}; expected ${d.zoneName} or a name ending in .${d.zoneName}`);
            }
        }
        const names = [d.site ?? d.zoneName, d.api, d.origin].filter((n): n is string => n !== undefined);
        if (new Set(names).size !== names.length) {
            report("edge.domain", `site, api and origin must be different names, got ${names.join(", ")}`);
        }
    }
    if (edge.waf.region !== undefined && edge.waf.region !== "us-east-1") {
        report(
            "edge.waf.region",
            `a web ACL for CloudFront (scope CLOUDFRONT) can only live in us-east-1, got ${JSON.stringify(edge.waf.region)}; the platform always creates it with the us-east-1 provider`,
            `pulumi config rm --path 'edge.waf.region' --stack ${stack}`,
        );
    }
    if (edge.waf.allowListOnly && edge.waf.ipSets.allow.length === 0) {
        report("edge.waf.allowListOnly", "allowListOnly blocks every client not in edge.waf.ipSets.allow, which is empty: nobody could reach the site", `add CIDRs to edge.waf.ipSets.allow or set edge.waf.allowListOnly false`);
    }
    const both = edge.waf.ipSets.allow.filter((c) => edge.waf.ipSets.block.includes(c));
    if (both.length > 0) {
        report("edge.waf.ipSets", `CIDRs both allowed and blocked: ${both.join(", ")}`);
    }
    const groups = edge.waf.managedRuleGroups.map((g) => g.name);
    if (new Set(groups).size !== groups.length) {
        report("edge.waf.managedRuleGroups", `each rule group once, got ${groups.join(", ")}`);
    }
    if (edge.auth.advancedSecurity !== "OFF" && edge.auth.featurePlan !== "PLUS") {
        report("edge.auth.advancedSecurity", `threat protection (${edge.auth.advancedSecurity}) needs the PLUS feature plan, got featurePlan ${edge.auth.featurePlan}`, `pulumi config set --path 'edge.auth.featurePlan' PLUS --stack ${stack} (or advancedSecurity OFF)`);
    }
    if (edge.auth.domainPrefix === undefined && /aws|amazon|cognito/.test(`${cfg.project}-${stack}`)) {
        report(
            "edge.auth.domainPrefix",
            `the default hosted-UI prefix ${cfg.project}-${stack} contains aws, amazon or cognito, which Cognito rejects; expected an explicit prefix`,
            `pulumi config set --path 'edge.auth.domainPrefix' <prefix> --stack ${stack}`,
        );
    }
    if (cfg.environment === "prod") {
        if (!edge.auth.deletionProtection) {
            report("edge.auth.deletionProtection", "prod must keep user pool deletion protection (losing the pool loses every user)", `pulumi config set --path 'edge.auth.deletionProtection' true --stack ${stack}`);
        }
        if (edge.auth.advancedSecurity !== "ENFORCED") {
            report("edge.auth.advancedSecurity", `prod must enforce Cognito threat protection, got ${edge.auth.advancedSecurity}`, `pulumi config set --path 'edge.auth.advancedSecurity' ENFORCED --stack ${stack}`);
        }
    }
    const seen = new Set<string>();
    edge.api.routes.forEach((r, i) => {
        const key = `${r.method} ${r.path}`;
        if (seen.has(key)) {
            report(`edge.api.routes[${i}]`, `duplicate route ${key}`);
        }
        seen.add(key);
        if (r.requestSchema !== undefined && (r.method === "GET" || r.method === "DELETE")) {
            report(`edge.api.routes[${i}].requestSchema`, `${r.method} requests have no body to validate; remove requestSchema or use POST/PUT/PATCH`);
        }
    });
    const functions = computeFunctions(cfg);
    // Without any compute function there is no API to build (the edge serves CloudFront and Cognito only).
    if (functions !== undefined && Object.keys(functions).length > 0) {
        const names = Object.keys(functions);
        edge.api.routes.forEach((r, i) => {
            const fn = functions[r.function];
            if (fn === undefined) {
                report(`edge.api.routes[${i}].function`, `no function ${JSON.stringify(r.function)} in compute.functions; expected one of ${names.join(", ") || "(none declared)"}`);
            } else if (fn.triggers?.api === false) {
                report(
                    `compute.functions.${r.function}.triggers.api`,
                    `edge.api.routes[${i}] (${r.method} ${r.path}) exposes ${r.function} through API Gateway, but the function does not declare the api trigger`,
                    `pulumi config set --path 'compute.functions.${r.function}.triggers.api' true --stack ${stack}, or remove the route`,
                );
            }
        });
    }
    if (edge.cdn.minTtlSeconds > edge.cdn.defaultTtlSeconds || edge.cdn.defaultTtlSeconds > edge.cdn.maxTtlSeconds) {
        report("edge.cdn.defaultTtlSeconds", `expected minTtlSeconds <= defaultTtlSeconds <= maxTtlSeconds, got ${edge.cdn.minTtlSeconds} / ${edge.cdn.defaultTtlSeconds} / ${edge.cdn.maxTtlSeconds}`);
    }
    if (edge.cdn.geoRestriction.type !== "none" && edge.cdn.geoRestriction.locations.length === 0) {
        report("edge.cdn.geoRestriction.locations", `a ${edge.cdn.geoRestriction.type} needs at least one country code`);
    }
    const codes = edge.cdn.errorPages.map((p) => p.errorCode);
    if (new Set(codes).size !== codes.length) {
        report("edge.cdn.errorPages", `each error code once, got ${codes.join(", ")}`);
    }
}
