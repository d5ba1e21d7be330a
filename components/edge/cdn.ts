import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BucketRef, ComputeOutputs, LOG_PREFIXES } from "../contracts";
import type { EdgeSettings } from "./schema";
import { contentSecurityPolicy, MANAGED_POLICY_IDS, ORIGIN_IDS, staticSiteBucketPolicy } from "./policies";

export interface CdnArgs {
    /** `<project>-<stack>`: prefix of policy and log-delivery names. */
    namePrefix: string;
    /** The validated `edge.cdn` section. */
    config: EdgeSettings["cdn"];
    /** Private bucket with the built web app (data tier `buckets.staticSite`). This component owns its bucket policy. */
    staticSite: BucketRef;
    /** Logs bucket (data tier `buckets.logs`); required when `config.accessLogs.enabled`. */
    logsBucket?: BucketRef;
    /** The ALB and the shared origin header (compute tier); without an ALB only the static site is served. */
    alb?: ComputeOutputs["alb"];
    originVerifyHeader?: ComputeOutputs["originVerifyHeader"];
    /** DNS name CloudFront uses for the ALB when the ALB's certificate covers it (edge.domain.origin). */
    originDomain?: string;
    /** ARN of the CLOUDFRONT-scope web ACL. */
    webAclArn: pulumi.Input<string>;
    /** Custom domain names and their validated us-east-1 certificate; default certificate when absent. */
    customDomain?: { aliases: readonly string[]; certificateArn: pulumi.Input<string> };
    /** Extra connect-src origins of the CSP (API, Cognito). */
    connectSources: readonly string[];
    /** us-east-1 provider: CloudFront's log delivery source and destination must live there. */
    usEast1: aws.Provider;
}

/**
 * The CloudFront distribution in front of everything: the static-site bucket as a private origin
 * through Origin Access Control (sigv4, always), the ALB for the dynamic paths with the origin
 * verify header, viewer HTTPS only, TLSv1.2_2021 with a custom domain, a 1-hour static cache
 * policy and no caching for the API, custom 404/500 pages, the security response headers, HTTP/2
 * and HTTP/3, IPv6, compression, WAF, and standard logging (v2) to the logs bucket under
 * `cloudfront/`.
 *
 * Access logs (`edge.cdn.accessLogs.mode`): `legacy` standard logging (the distribution's
 * loggingConfig; the logs bucket keeps ACLs enabled for the awslogsdelivery account, as the data
 * tier sets it up), or `v2` (CloudWatch vended log delivery created in us-east-1; works with ACLs
 * disabled, needs a delivery.logs.amazonaws.com statement in the logs bucket policy).
 *
 * Creates: OriginAccessControl, CachePolicy, ResponseHeadersPolicy, Distribution, the static-site
 * BucketPolicy, and LogDeliverySource/Destination/Delivery with v2 logging.
 * Costs: per request and GB out ($0.114/GB Japan, seed 001: ~$57/month at 500 GB); log delivery
 * $0.25/GB to S3 (CloudWatch vended logs); policies and OAC are free.
 */
export class Cdn extends pulumi.ComponentResource {
    public readonly distribution: aws.cloudfront.Distribution;
    public readonly id: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    public readonly domainName: pulumi.Output<string>;
    public readonly hostedZoneId: pulumi.Output<string>;

    constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:Cdn", name, {}, opts);
        const cfg = args.config;
        const child = { parent: this };
        if (args.alb && args.alb.originProtocol === "https-only" && args.originDomain === undefined) {
            throw new Error(
                `Cdn ${name}: the ALB only accepts HTTPS but no origin name is configured; CloudFront must reach it by a name its certificate covers. Set edge.domain.origin (for example origin.example.com) to a name in the ALB certificate`,
            );
        }
        if (cfg.accessLogs.enabled && !args.logsBucket) {
            throw new Error(`Cdn ${name}: edge.cdn.accessLogs.enabled needs the logs bucket (data tier buckets.logs); declare it or set edge.cdn.accessLogs.enabled false`);
        }

        const oac = new aws.cloudfront.OriginAccessControl(
            `${name}-oac`,
            {
                name: `${args.namePrefix}-static-site`,
                description: `${args.namePrefix}: CloudFront reads the private static-site bucket`,
                originAccessControlOriginType: "s3",
                signingBehavior: "always",
                signingProtocol: "sigv4",
            },
            child,
        );

        const staticCache = new aws.cloudfront.CachePolicy(
            `${name}-static-cache`,
            {
                name: `${args.namePrefix}-static`,
                comment: "Static web app: TTL from edge.cdn (seed 002: 1 hour), compressed variants cached",
                defaultTtl: cfg.defaultTtlSeconds,
                minTtl: cfg.minTtlSeconds,
                maxTtl: cfg.maxTtlSeconds,
                parametersInCacheKeyAndForwardedToOrigin: {
                    cookiesConfig: { cookieBehavior: "none" },
                    headersConfig: { headerBehavior: "none" },
                    queryStringsConfig: { queryStringBehavior: "none" },
                    enableAcceptEncodingBrotli: true,
                    enableAcceptEncodingGzip: true,
                },
            },
            child,
        );

        const headers = new aws.cloudfront.ResponseHeadersPolicy(
            `${name}-security-headers`,
            {
                name: `${args.namePrefix}-security-headers`,
                comment: "HSTS, nosniff, DENY framing, strict referrer, CSP",
                securityHeadersConfig: {
                    strictTransportSecurity: { accessControlMaxAgeSec: cfg.hstsMaxAgeSeconds, includeSubdomains: true, preload: false, override: true },
                    contentTypeOptions: { override: true },
                    frameOptions: { frameOption: "DENY", override: true },
                    referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
                    contentSecurityPolicy: { contentSecurityPolicy: cfg.contentSecurityPolicy ?? contentSecurityPolicy(args.connectSources), override: true },
                    xssProtection: { protection: true, modeBlock: true, override: true },
                },
            },
            child,
        );

        const origins: aws.types.input.cloudfront.DistributionOrigin[] = [
            { originId: ORIGIN_IDS.site, domainName: args.staticSite.regionalDomainName, originAccessControlId: oac.id },
        ];
        const ordered: aws.types.input.cloudfront.DistributionOrderedCacheBehavior[] = [];
        if (args.alb) {
            origins.push({
                originId: ORIGIN_IDS.alb,
                domainName: args.originDomain ?? args.alb.dnsName,
                customOriginConfig: {
                    httpPort: 80,
                    httpsPort: 443,
                    originProtocolPolicy: args.alb.originProtocol,
                    originSslProtocols: ["TLSv1.2"],
                    originReadTimeout: 60,
                    originKeepaliveTimeout: 5,
                },
                customHeaders: args.originVerifyHeader ? [{ name: args.originVerifyHeader.name, value: args.originVerifyHeader.value }] : undefined,
            });
            for (const pathPattern of cfg.dynamicPaths) {
                ordered.push({
                    pathPattern,
                    targetOriginId: ORIGIN_IDS.alb,
                    // A redirect would turn a POST into a GET: the API answers HTTPS only.
                    viewerProtocolPolicy: "https-only",
                    allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                    cachedMethods: ["GET", "HEAD"],
                    cachePolicyId: MANAGED_POLICY_IDS.cachingDisabled,
                    originRequestPolicyId: MANAGED_POLICY_IDS.allViewerExceptHostHeader,
                    responseHeadersPolicyId: headers.id,
                    compress: true,
                });
            }
        }

        this.distribution = new aws.cloudfront.Distribution(
            `${name}-distribution`,
            {
                enabled: true,
                comment: `${args.namePrefix}: static site and API`,
                aliases: args.customDomain ? [...args.customDomain.aliases] : undefined,
                defaultRootObject: "index.html",
                httpVersion: "http2and3",
                isIpv6Enabled: true,
                priceClass: cfg.priceClass,
                webAclId: args.webAclArn,
                origins,
                defaultCacheBehavior: {
                    targetOriginId: ORIGIN_IDS.site,
                    viewerProtocolPolicy: "redirect-to-https",
                    allowedMethods: ["GET", "HEAD", "OPTIONS"],
                    cachedMethods: ["GET", "HEAD"],
                    cachePolicyId: staticCache.id,
                    responseHeadersPolicyId: headers.id,
                    compress: true,
                },
                orderedCacheBehaviors: ordered,
                customErrorResponses: cfg.errorPages.map((p) => ({
                    errorCode: p.errorCode,
                    responseCode: p.responseCode,
                    responsePagePath: p.pagePath,
                    errorCachingMinTtl: p.cachingMinTtlSeconds,
                })),
                restrictions: {
                    geoRestriction: { restrictionType: cfg.geoRestriction.type, locations: cfg.geoRestriction.type === "none" ? [] : [...cfg.geoRestriction.locations] },
                },
                loggingConfig:
                    cfg.accessLogs.enabled && cfg.accessLogs.mode === "legacy" && args.logsBucket
                        ? { bucket: pulumi.interpolate`${args.logsBucket.name}.s3.amazonaws.com`, prefix: `${LOG_PREFIXES.cloudfront}/`, includeCookies: cfg.accessLogs.includeCookies }
                        : undefined,
                viewerCertificate: args.customDomain
                    ? { acmCertificateArn: args.customDomain.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" }
                    : { cloudfrontDefaultCertificate: true },
            },
            child,
        );
        this.id = this.distribution.id;
        this.arn = this.distribution.arn;
        this.domainName = this.distribution.domainName;
        this.hostedZoneId = this.distribution.hostedZoneId;

        // The bucket exists before the distribution, so the distribution's tier owns its policy.
        new aws.s3.BucketPolicy(
            `${name}-site-bucket-policy`,
            {
                bucket: args.staticSite.name,
                policy: pulumi
                    .all([args.staticSite.arn, this.distribution.arn])
                    .apply(([bucketArn, distributionArn]) => JSON.stringify(staticSiteBucketPolicy({ bucketArn, distributionArn }))),
            },
            child,
        );

        if (cfg.accessLogs.enabled && cfg.accessLogs.mode === "v2" && args.logsBucket) {
            const inUsEast1 = { parent: this, provider: args.usEast1 };
            const source = new aws.cloudwatch.LogDeliverySource(
                `${name}-log-source`,
                { name: `${args.namePrefix}-cloudfront`, logType: "ACCESS_LOGS", resourceArn: this.distribution.arn },
                inUsEast1,
            );
            const destination = new aws.cloudwatch.LogDeliveryDestination(
                `${name}-log-destination`,
                {
                    name: `${args.namePrefix}-cloudfront-s3`,
                    outputFormat: cfg.accessLogs.outputFormat,
                    deliveryDestinationConfiguration: { destinationResourceArn: pulumi.interpolate`${args.logsBucket.arn}/${LOG_PREFIXES.cloudfront}` },
                },
                inUsEast1,
            );
            new aws.cloudwatch.LogDelivery(
                `${name}-log-delivery`,
                {
                    deliverySourceName: source.name,
                    deliveryDestinationArn: destination.arn,
                    s3DeliveryConfigurations: [{ suffixPath: "{DistributionId}/{yyyy}/{MM}/{dd}/{HH}", enableHiveCompatiblePath: false }],
                },
                inUsEast1,
            );
        }

        this.registerOutputs({ id: this.id, arn: this.arn, domainName: this.domainName });
    }
}
