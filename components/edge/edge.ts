import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ComputeOutputs, DataOutputs, EdgeOutputs, LogGroupRef, PlatformContext } from "../contracts";
import { KmsKey } from "../security/kms-key";
import { cloudWatchLogsStatement, keyPolicy, rootStatement } from "../security/key-policy";
import { Api } from "./api";
import { Auth } from "./auth";
import { Cdn } from "./cdn";
import { DnsValidatedCertificate } from "./certificate";
import { appConnectSources, CLOUDFRONT_HOSTED_ZONE_ID } from "./policies";
import type { EdgeSettings } from "./schema";
import { WebAcl } from "./waf";

export interface EdgeArgs {
    /** The validated `edge` section of the stack configuration. */
    config: EdgeSettings;
    /** Environment name: the default API stage name. */
    environment: string;
    /** Protect stateful resources (user pool, the us-east-1 logs key) in prod (cfg.protectData). */
    protectData: boolean;
    ctx: PlatformContext;
    /** us-east-1 provider: CloudFront certificate, CLOUDFRONT web ACL and its logs, log delivery. */
    usEast1: aws.Provider;
    /** Data tier: `buckets.staticSite` (required) and `buckets.logs` (CloudFront access logs). */
    data: Pick<DataOutputs, "buckets">;
    /** Compute tier: the ALB and origin header (dynamic paths) and the functions behind the API routes. */
    compute: Pick<ComputeOutputs, "alb" | "originVerifyHeader" | "functions">;
}

/**
 * The edge tier, the only way in from the internet (issue 5; seed 001 Route53 -> CloudFront -> WAF
 * -> ALB; seed 002 §1.3; seed 003 G/H/I/J/L; seed 000 INFRA-003/004/012):
 * - `WebAcl` CLOUDFRONT in us-east-1 (+ a REGIONAL one for the API stage and optionally the ALB);
 * - `Cdn`: CloudFront with the private static-site bucket (OAC) and the ALB for the dynamic paths;
 * - `Auth`: Cognito user pool, web client, hosted-UI domain, identity pool;
 * - `Api`: API Gateway REST API with the Cognito authorizer and Lambda proxy integrations;
 * - with `edge.domain`: ACM certificates (us-east-1 and regional) validated in Route53, alias
 *   records for the site, the API and the ALB origin name, Route53 health checks.
 * Without a domain the stack serves on the default CloudFront domain and the execute-api URL.
 *
 * Costs: WAF ~$5/ACL + $1/rule group + $0.60/M requests; CloudFront per GB and request; API
 * Gateway $4.25/M requests; Cognito PLUS $0.02/MAU; us-east-1 logs key $1/month; health checks
 * $0.50-0.75/month each.
 */
export class Edge extends pulumi.ComponentResource implements EdgeOutputs {
    public readonly distribution: { id: pulumi.Output<string>; arn: pulumi.Output<string>; domainName: pulumi.Output<string> };
    /** The REST API; undefined when the compute tier declares no functions (nothing to route to). */
    public readonly api?: { id: pulumi.Output<string>; name: pulumi.Output<string>; stageName: string; url: pulumi.Output<string> };
    public readonly userPool: { id: pulumi.Output<string>; arn: pulumi.Output<string>; clientId: pulumi.Output<string> };
    public readonly webAclArn: pulumi.Output<string>;
    public readonly regionalWebAclArn?: pulumi.Output<string>;
    public readonly logGroups: readonly LogGroupRef[];
    /** https://<site> (custom domain or the CloudFront domain). */
    public readonly siteUrl: pulumi.Output<string>;
    public readonly identityPoolId: pulumi.Output<string>;
    /** The Cognito hosted UI base URL. */
    public readonly authDomainUrl: string;
    /** Validated certificates (custom domain only). */
    public readonly cloudFrontCertificateArn?: pulumi.Output<string>;
    public readonly apiCertificateArn?: pulumi.Output<string>;
    public readonly healthCheckIds: pulumi.Output<string>[];
    /** The key of the us-east-1 log groups (WAF logs). */
    public readonly usEast1LogsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: EdgeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:Edge", name, {}, opts);
        const cfg = args.config;
        const { ctx } = args;
        const prefix = ctx.namePrefix;
        const inUsEast1 = { parent: this, providers: [args.usEast1] };
        const problems = upstreamProblems(cfg, args.data, args.compute);
        if (problems.length > 0) {
            // Before any child is registered, so a preview shows nothing half-built.
            throw new Error(`Edge ${name} cannot be built from the upstream tiers:\n  - ${problems.join("\n  - ")}`);
        }
        const staticSite = args.data.buckets.staticSite!;
        const domain = cfg.domain;
        if (domain && domain.hostedZoneId === undefined) {
            // The config cross-check reports this first; guard for programmatic use.
            throw new Error(`Edge ${name}: edge.domain needs edge.domain.hostedZoneId`);
        }
        const zoneId = domain?.hostedZoneId;
        const siteDomain = domain ? (domain.site ?? domain.zoneName) : undefined;

        // CloudWatch Logs in us-east-1 cannot use the stack's logs key (a KMS key is regional).
        const usEast1Key = new KmsKey(
            `${name}-us-east-1-logs-key`,
            {
                description: `${prefix}: CloudWatch Logs encryption in us-east-1 (CloudFront WAF logs)`,
                alias: `${prefix}-edge-logs`,
                policy: pulumi.all([ctx.accountId, ctx.partition]).apply(([accountId, partition]) => {
                    const account = { accountId, partition, region: "us-east-1" };
                    return JSON.stringify(keyPolicy([rootStatement(account), cloudWatchLogsStatement(account)]));
                }),
                protect: args.protectData,
            },
            inUsEast1,
        );
        this.usEast1LogsKeyArn = usEast1Key.arn;

        const cloudFrontAcl = new WebAcl(
            `${name}-waf-cloudfront`,
            { scope: "CLOUDFRONT", region: "us-east-1", namePrefix: prefix, config: cfg.waf, logsKeyArn: usEast1Key.arn },
            inUsEast1,
        );
        this.webAclArn = cloudFrontAcl.arn;
        const withApi = hasApi(args.compute);
        // The REST API is reachable from the internet on its own endpoint: its stage gets a REGIONAL ACL.
        const regionalAcl =
            withApi || cfg.waf.regional.associateAlb
                ? new WebAcl(`${name}-waf-regional`, { scope: "REGIONAL", region: ctx.region, namePrefix: prefix, config: cfg.waf, logsKeyArn: ctx.logsKeyArn }, { parent: this })
                : undefined;
        this.regionalWebAclArn = regionalAcl?.arn;

        let cdnCert: DnsValidatedCertificate | undefined;
        let apiCert: DnsValidatedCertificate | undefined;
        if (domain && zoneId && siteDomain) {
            cdnCert = new DnsValidatedCertificate(`${name}-cdn-cert`, { domains: [siteDomain], hostedZoneId: zoneId, label: `${prefix}-cloudfront` }, inUsEast1);
            if (domain.api && withApi) {
                apiCert = new DnsValidatedCertificate(`${name}-api-cert`, { domains: [domain.api], hostedZoneId: zoneId, label: `${prefix}-api` }, { parent: this });
            }
        }
        this.cloudFrontCertificateArn = cdnCert?.arn;
        this.apiCertificateArn = apiCert?.arn;

        const cdn = new Cdn(
            `${name}-cdn`,
            {
                namePrefix: prefix,
                config: cfg.cdn,
                staticSite,
                logsBucket: args.data.buckets.logs,
                alb: args.compute.alb,
                originVerifyHeader: args.compute.originVerifyHeader,
                originDomain: domain?.origin,
                webAclArn: cloudFrontAcl.arn,
                customDomain: cdnCert && siteDomain ? { aliases: [siteDomain], certificateArn: cdnCert.arn } : undefined,
                connectSources: appConnectSources({ region: ctx.region, apiDomain: domain?.api, extra: cfg.cdn.connectSources }),
                usEast1: args.usEast1,
            },
            { parent: this },
        );
        this.distribution = { id: cdn.id, arn: cdn.arn, domainName: cdn.domainName };
        this.siteUrl = siteDomain ? pulumi.output(`https://${siteDomain}`) : pulumi.interpolate`https://${cdn.domainName}`;

        const auth = new Auth(`${name}-auth`, { namePrefix: prefix, config: cfg.auth, siteOrigin: this.siteUrl, protect: args.protectData }, { parent: this });
        this.userPool = { id: auth.userPoolId, arn: auth.userPoolArn, clientId: auth.clientId };
        this.identityPoolId = auth.identityPoolId;
        this.authDomainUrl = `https://${auth.domainPrefix}.auth.${ctx.region}.amazoncognito.com`;

        const api = !withApi
            ? undefined
                : new Api(
                `${name}-api`,
                {
                    namePrefix: prefix,
                    region: ctx.region,
                    accountId: ctx.accountId,
                    partition: ctx.partition,
                    config: cfg.api,
                    stageName: cfg.api.stageName ?? args.environment,
                    functions: args.compute.functions,
                    userPoolArn: auth.userPoolArn,
                    corsOrigin: cfg.api.cors.allowOrigin ?? this.siteUrl,
                    logsKeyArn: ctx.logsKeyArn,
                    webAclArn: regionalAcl?.arn,
                    customDomain: apiCert && domain?.api && zoneId ? { domainName: domain.api, certificateArn: apiCert.arn, hostedZoneId: zoneId } : undefined,
                    manageAccountSettings: cfg.api.manageAccountSettings,
                },
                { parent: this },
            );
        this.api = api ? { id: api.id, name: api.name, stageName: api.stageName, url: api.url } : undefined;

        const alb = args.compute.alb;
        if (regionalAcl && cfg.waf.regional.associateAlb && alb) {
            new aws.wafv2.WebAclAssociation(`${name}-alb-waf`, { resourceArn: alb.arn, webAclArn: regionalAcl.arn }, { parent: this });
        }

        // DNS: alias records for the site and the ALB origin name, health checks.
        const healthChecks: pulumi.Output<string>[] = [];
        if (domain && zoneId && siteDomain) {
            for (const type of ["A", "AAAA"] as const) {
                new aws.route53.Record(
                    `${name}-site-${type.toLowerCase()}`,
                    { zoneId, name: siteDomain, type, aliases: [{ name: cdn.domainName, zoneId: CLOUDFRONT_HOSTED_ZONE_ID, evaluateTargetHealth: false }] },
                    { parent: this },
                );
            }
            if (domain.origin && alb) {
                new aws.route53.Record(
                    `${name}-origin-alias`,
                    { zoneId, name: domain.origin, type: "A", aliases: [{ name: alb.dnsName, zoneId: alb.zoneId, evaluateTargetHealth: true }] },
                    { parent: this },
                );
            }
            if (domain.healthChecks) {
                const check = (role: string, fqdn: pulumi.Input<string>, resourcePath: pulumi.Input<string>) =>
                    new aws.route53.HealthCheck(
                        `${name}-${role}-health`,
                        {
                            type: "HTTPS",
                            fqdn,
                            port: 443,
                            resourcePath,
                            enableSni: true,
                            requestInterval: 30,
                            failureThreshold: 3,
                            measureLatency: true,
                            referenceName: `${prefix}-${role}`.slice(0, 64),
                            tags: { Name: `${prefix}-${role}` },
                        },
                        { parent: this },
                    ).id;
                healthChecks.push(check("site", siteDomain, "/"));
                if (api) {
                    healthChecks.push(check("api", api.healthCheckHost, api.healthCheckPath));
                }
            }
        }
        this.healthCheckIds = healthChecks;

        this.logGroups = [cloudFrontAcl.logGroup, ...(regionalAcl ? [regionalAcl.logGroup] : []), ...(api?.logGroups ?? [])];
        this.registerOutputs({
            distributionDomainName: cdn.domainName,
            siteUrl: this.siteUrl,
            apiUrl: api?.url,
            userPoolId: auth.userPoolId,
            userPoolClientId: auth.clientId,
            webAclArn: this.webAclArn,
        });
    }
}

/**
 * What the edge needs from the data and compute tiers, checked before anything is created: the
 * static-site bucket, the logs bucket when access logs are on, every route's function, and a name
 * CloudFront can use for an HTTPS-only ALB.
 */
export function upstreamProblems(cfg: EdgeSettings, data: Pick<DataOutputs, "buckets">, compute: Pick<ComputeOutputs, "alb" | "functions">): string[] {
    const problems: string[] = [];
    if (!data.buckets.staticSite) {
        problems.push("the data tier provides no bucket 'staticSite' (data.buckets.staticSite), which CloudFront serves; declare it in the data section");
    }
    if (cfg.cdn.accessLogs.enabled && !data.buckets.logs) {
        problems.push("edge.cdn.accessLogs.enabled needs the logs bucket (data.buckets.logs); declare it or set edge.cdn.accessLogs.enabled false");
    }
    cfg.api.routes.forEach((r, i) => {
        if (hasApi(compute) && !compute.functions[r.function]) {
            problems.push(
                `edge.api.routes[${i}] (${r.method} ${r.path}) uses function ${JSON.stringify(r.function)}, which the compute tier does not provide; expected one of ${Object.keys(compute.functions).join(", ") || "(no functions)"}`,
            );
        }
    });
    if (compute.alb?.originProtocol === "https-only" && cfg.domain?.origin === undefined) {
        problems.push(
            "the ALB only accepts HTTPS but no origin name is configured; CloudFront must reach it by a name its certificate covers. Set edge.domain.origin (for example origin.example.com) to a name in the ALB certificate",
        );
    }
    return problems;
}

/** The REST API is built when the compute tier has functions to route to. */
export function hasApi(compute: Pick<ComputeOutputs, "functions">): boolean {
    return Object.keys(compute.functions).length > 0;
}
