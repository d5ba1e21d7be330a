/**
 * The edge tier per stack file (dev, staging, prod) with fake upstream tiers, the custom-domain
 * variant, component-level failures, and broken configurations rejected before any resource.
 */
import { strict as assert } from "assert";
import { loadStackConfig, parseStackConfig } from "../components/config";
import { upstreamProblems } from "../components/edge/edge";
import { createPlatform } from "../components/platform";
import { MANAGED_POLICY_IDS } from "../components/edge/policies";
import { awsResources, ofType, one, policyDoc, RecordedResource, runProgram, stackRun, StackRun, STACKS } from "./harness";
import { FAKE_ALB_ARN, FAKE_ALB_DNS, fakeFunction, runEdge } from "./edge-fakes";
import { loadStackFile, mergeConfig } from "../tools/offline/run";

const cache = new Map<string, Promise<StackRun>>();
function edgeRun(stack: string): Promise<StackRun> {
    if (!cache.has(stack)) {
        cache.set(stack, runEdge(stack));
    }
    return cache.get(stack)!;
}

const DOMAIN = { domain: { zoneName: "example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", site: "app.example.com", api: "api.example.com", origin: "origin.example.com" } };

function regionOf(run: StackRun, r: RecordedResource): string | undefined {
    return run.resources.find((p) => p.urn === r.provider)?.inputs.region;
}

/** Secret inputs are recorded in the engine's wire form; the origins carry the secret origin header. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function unsecret(v: any): any {
    return v && typeof v === "object" && SECRET_SIG in v ? v.value : v;
}
function originsOf(run: StackRun): any[] {
    return unsecret(one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution").inputs.origins);
}

function methods(run: StackRun) {
    return ofType(run, "aws:apigateway/method:Method");
}

describe("edge: every stack file (fake data and compute tiers)", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            it("every cache behaviour is HTTPS-only for viewers, the API uncached with all viewer headers but Host", async () => {
                const run = await edgeRun(stack);
                const d = one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution").inputs;
                assert.equal(d.defaultCacheBehavior.viewerProtocolPolicy, "redirect-to-https");
                assert.ok(d.orderedCacheBehaviors.length >= 1);
                for (const b of d.orderedCacheBehaviors) {
                    assert.equal(b.viewerProtocolPolicy, "https-only", b.pathPattern);
                    assert.equal(b.cachePolicyId, MANAGED_POLICY_IDS.cachingDisabled);
                    assert.equal(b.originRequestPolicyId, MANAGED_POLICY_IDS.allViewerExceptHostHeader);
                    assert.equal(b.targetOriginId, "alb");
                }
                assert.deepEqual(
                    d.orderedCacheBehaviors.map((b: any) => b.pathPattern),
                    ["/api/*"],
                );
                assert.equal(d.httpVersion, "http2and3");
                assert.equal(d.isIpv6Enabled, true);
                assert.equal(d.defaultRootObject, "index.html");
                assert.equal(d.defaultCacheBehavior.compress, true);
                assert.equal(d.priceClass, { dev: "PriceClass_100", staging: "PriceClass_200", prod: "PriceClass_All" }[stack]);
                assert.deepEqual(
                    d.customErrorResponses.map((e: any) => `${e.errorCode}->${e.responsePagePath}`),
                    ["404->/404.html", "500->/500.html"],
                );
                // No custom domain in the stack files: the default certificate, no aliases.
                assert.deepEqual(d.viewerCertificate, { cloudfrontDefaultCertificate: true });
                assert.equal(d.aliases, undefined);
            });

            it("the static site is a private origin through OAC, and the bucket policy names this distribution", async () => {
                const run = await edgeRun(stack);
                const dist = one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution");
                const oac = one(run, "aws:cloudfront/originAccessControl:OriginAccessControl", "edge-cdn-oac");
                assert.deepEqual(
                    { type: oac.inputs.originAccessControlOriginType, behavior: oac.inputs.signingBehavior, protocol: oac.inputs.signingProtocol },
                    { type: "s3", behavior: "always", protocol: "sigv4" },
                );
                const site = originsOf(run).find((o: any) => o.originId === "static-site");
                assert.equal(site.originAccessControlId, oac.state.id);
                assert.equal(site.customOriginConfig, undefined);
                const policy = policyDoc(one(run, "aws:s3/bucketPolicy:BucketPolicy", "edge-cdn-site-bucket-policy").inputs.policy);
                const allows = policy.Statement.filter((s: any) => s.Effect === "Allow");
                assert.ok(allows.length > 0);
                for (const s of allows) {
                    assert.equal(s.Condition.StringEquals["AWS:SourceArn"], dist.state.arn);
                }
                assert.ok(policy.Statement.some((s: any) => s.Effect === "Deny" && s.Condition?.Bool?.["aws:SecureTransport"] === "false"));
            });

            it("the ALB origin carries the origin-verify header over the ALB's protocol with TLS 1.2", async () => {
                const run = await edgeRun(stack);
                const dist = one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution");
                assert.equal(dist.inputs.origins[SECRET_SIG], "1b47061264138c4ac30d75fd1eb44270", "the origins carry a secret and stay secret");
                const alb = originsOf(run).find((o: any) => o.originId === "alb");
                assert.equal(alb.domainName, FAKE_ALB_DNS);
                assert.deepEqual(alb.customHeaders, [{ name: "X-Origin-Verify", value: "fake-origin-secret" }]);
                assert.equal(alb.customOriginConfig.originProtocolPolicy, "http-only");
                assert.deepEqual(alb.customOriginConfig.originSslProtocols, ["TLSv1.2"]);
            });

            it("security headers: HSTS, nosniff, DENY, referrer policy, CSP", async () => {
                const run = await edgeRun(stack);
                const h = one(run, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "edge-cdn-security-headers").inputs.securityHeadersConfig;
                assert.ok(h.strictTransportSecurity.accessControlMaxAgeSec >= 31536000);
                assert.equal(h.contentTypeOptions.override, true);
                assert.equal(h.frameOptions.frameOption, "DENY");
                assert.equal(h.referrerPolicy.referrerPolicy, "strict-origin-when-cross-origin");
                assert.match(h.contentSecurityPolicy.contentSecurityPolicy, /frame-ancestors 'none'/);
                const cache = one(run, "aws:cloudfront/cachePolicy:CachePolicy", "edge-cdn-static-cache").inputs;
                assert.equal(cache.defaultTtl, 3600);
            });

            it("access logs: standard logging to the logs bucket under cloudfront/, no cookies", async () => {
                const run = await edgeRun(stack);
                const d = one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution").inputs;
                assert.deepEqual(d.loggingConfig, { bucket: "fake-logs.s3.amazonaws.com", prefix: "cloudfront/", includeCookies: false });
                assert.equal(ofType(run, "aws:cloudwatch/logDeliverySource:LogDeliverySource").length, 0);
            });

            it("the CloudFront web ACL lives in us-east-1 with the managed rule groups, a rate limit and redacted logs", async () => {
                const run = await edgeRun(stack);
                const acl = one(run, "aws:wafv2/webAcl:WebAcl", "edge-waf-cloudfront-acl");
                assert.equal(acl.inputs.scope, "CLOUDFRONT");
                assert.equal(regionOf(run, acl), "us-east-1");
                const groups = acl.inputs.rules.filter((r: any) => r.statement.managedRuleGroupStatement).map((r: any) => r.statement.managedRuleGroupStatement.name);
                for (const g of ["AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesAmazonIpReputationList"]) {
                    assert.ok(groups.includes(g), `${g} missing`);
                }
                const rate = acl.inputs.rules.find((r: any) => r.statement.rateBasedStatement);
                assert.equal(rate.statement.rateBasedStatement.aggregateKeyType, "IP");
                assert.equal(rate.statement.rateBasedStatement.limit, stack === "dev" ? 1000 : 2000);
                const dist = one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution");
                assert.equal(dist.inputs.webAclId, acl.state.arn);
                assert.match(acl.state.arn, /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\//);

                const logging = one(run, "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "edge-waf-cloudfront-logging");
                assert.deepEqual(logging.inputs.redactedFields, [{ singleHeader: { name: "authorization" } }]);
                assert.equal(regionOf(run, logging), "us-east-1");
                const group = one(run, "aws:cloudwatch/logGroup:LogGroup", "edge-waf-cloudfront-logs");
                assert.equal(group.inputs.name, `aws-waf-logs-ragplatform-${stack}-cloudfront`);
                assert.equal(regionOf(run, group), "us-east-1");
                const key = one(run, "aws:kms/key:Key", "edge-us-east-1-logs-key-key");
                assert.equal(regionOf(run, key), "us-east-1");
                assert.equal(group.inputs.kmsKeyId, key.state.arn);
                assert.deepEqual(logging.inputs.logDestinationConfigs, [group.state.arn]);
                const kp = policyDoc(key.inputs.policy);
                assert.ok(kp.Statement.some((s: any) => s.Principal?.Service === "logs.us-east-1.amazonaws.com"));
            });

            it("the authorizer guards every method except /health and the CORS preflights", async () => {
                const run = await edgeRun(stack);
                const all = methods(run);
                assert.equal(all.length, 8);
                const authorizer = one(run, "aws:apigateway/authorizer:Authorizer", "edge-api-cognito");
                assert.equal(authorizer.inputs.type, "COGNITO_USER_POOLS");
                assert.deepEqual(authorizer.inputs.providerArns, [one(run, "aws:cognito/userPool:UserPool", "edge-auth-user-pool").state.arn]);
                for (const m of all) {
                    const open = m.inputs.httpMethod === "OPTIONS" || m.name === "edge-api-get-health";
                    assert.equal(m.inputs.authorization, open ? "NONE" : "COGNITO_USER_POOLS", m.name);
                    assert.equal(m.inputs.authorizerId, open ? undefined : authorizer.state.id, m.name);
                }
                const search = one(run, "aws:apigateway/method:Method", "edge-api-post-search");
                assert.ok(search.inputs.requestValidatorId);
                assert.deepEqual(search.inputs.requestModels, { "application/json": "PostSearchBody" });
            });

            it("Lambda proxy integrations and invoke permissions scoped to method and path", async () => {
                const run = await edgeRun(stack);
                const api = one(run, "aws:apigateway/restApi:RestApi", "edge-api-rest-api");
                assert.deepEqual(api.inputs.endpointConfiguration, { types: "REGIONAL" });
                const proxies = ofType(run, "aws:apigateway/integration:Integration").filter((i) => i.inputs.type === "AWS_PROXY");
                assert.equal(proxies.length, 4);
                const perms = ofType(run, "aws:lambda/permission:Permission");
                assert.deepEqual(perms.map((p) => p.inputs.sourceArn).sort(), [
                    `${api.state.executionArn}/*/GET/health`,
                    `${api.state.executionArn}/*/POST/check`,
                    `${api.state.executionArn}/*/POST/search`,
                    `${api.state.executionArn}/*/POST/upload`,
                ]);
                for (const p of perms) {
                    assert.equal(p.inputs.principal, "apigateway.amazonaws.com");
                    assert.equal(p.inputs.function, "fake-rag-api");
                }
            });

            it("the stage: access and execution logs (KMS, retention), X-Ray, throttling, usage plan, WAF", async () => {
                const run = await edgeRun(stack);
                const stage = one(run, "aws:apigateway/stage:Stage", "edge-api-stage");
                assert.equal(stage.inputs.stageName, stack);
                assert.equal(stage.inputs.xrayTracingEnabled, true);
                const access = one(run, "aws:cloudwatch/logGroup:LogGroup", "edge-api-access-logs");
                assert.equal(stage.inputs.accessLogSettings.destinationArn, access.state.arn);
                assert.equal(JSON.parse(stage.inputs.accessLogSettings.format).requestId, "$context.requestId");
                const retention = { dev: 7, staging: 30, prod: 90 }[stack];
                for (const name of ["edge-api-access-logs", "edge-api-execution-logs"]) {
                    const g = one(run, "aws:cloudwatch/logGroup:LogGroup", name);
                    assert.equal(g.inputs.retentionInDays, retention, name);
                    assert.ok(g.inputs.kmsKeyId, name);
                }
                const api = one(run, "aws:apigateway/restApi:RestApi", "edge-api-rest-api");
                assert.equal(one(run, "aws:cloudwatch/logGroup:LogGroup", "edge-api-execution-logs").inputs.name, `API-Gateway-Execution-Logs_${api.state.id}/${stack}`);

                const settings = one(run, "aws:apigateway/methodSettings:MethodSettings", "edge-api-method-settings").inputs;
                assert.equal(settings.methodPath, "*/*");
                assert.equal(settings.settings.loggingLevel, stack === "prod" ? "ERROR" : "INFO");
                assert.equal(settings.settings.metricsEnabled, true);
                assert.equal(settings.settings.dataTraceEnabled, false);
                assert.ok(settings.settings.throttlingRateLimit > 0 && settings.settings.throttlingBurstLimit > 0);

                const plan = one(run, "aws:apigateway/usagePlan:UsagePlan", "edge-api-usage-plan").inputs;
                assert.deepEqual(plan.quotaSettings, { limit: 24000, period: "DAY" });
                assert.deepEqual(plan.throttleSettings, { rateLimit: 0.2778, burstLimit: 20 });

                const account = one(run, "aws:apigateway/account:Account", "edge-api-account");
                const role = one(run, "aws:iam/role:Role", "edge-api-cloudwatch-role");
                assert.equal(account.inputs.cloudwatchRoleArn, role.state.arn);
                assert.equal(ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").length, 0, "no managed policy attached");

                const assoc = ofType(run, "aws:wafv2/webAclAssociation:WebAclAssociation");
                assert.equal(assoc.length, 1);
                assert.equal(assoc[0].inputs.resourceArn, stage.state.arn);
                const regional = one(run, "aws:wafv2/webAcl:WebAcl", "edge-waf-regional-acl");
                assert.equal(regional.inputs.scope, "REGIONAL");
                assert.equal(regionOf(run, regional), "ap-northeast-1");
                assert.equal(assoc[0].inputs.webAclArn, regional.state.arn);
                const regionalLogs = one(run, "aws:cloudwatch/logGroup:LogGroup", "edge-waf-regional-logs");
                assert.equal(regionalLogs.inputs.name, `aws-waf-logs-ragplatform-${stack}-regional`);
                assert.equal(regionOf(run, regionalLogs), "ap-northeast-1");
            });

            it("Cognito: strong passwords, MFA, threat protection, PKCE-ready public client, no guest identities", async () => {
                const run = await edgeRun(stack);
                const pool = one(run, "aws:cognito/userPool:UserPool", "edge-auth-user-pool");
                assert.deepEqual(pool.inputs.passwordPolicy, {
                    minimumLength: 12,
                    requireLowercase: true,
                    requireUppercase: true,
                    requireNumbers: true,
                    requireSymbols: true,
                    temporaryPasswordValidityDays: 3,
                });
                assert.equal(pool.inputs.mfaConfiguration, { dev: "OPTIONAL", staging: "OPTIONAL", prod: "ON" }[stack]);
                assert.deepEqual(pool.inputs.softwareTokenMfaConfiguration, { enabled: true });
                assert.deepEqual(pool.inputs.accountRecoverySetting, { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] });
                assert.equal(pool.inputs.userPoolAddOns.advancedSecurityMode, stack === "dev" ? "OFF" : "ENFORCED");
                assert.equal(pool.inputs.userPoolTier, stack === "dev" ? "ESSENTIALS" : "PLUS");
                assert.equal(pool.inputs.deletionProtection, stack === "dev" ? "INACTIVE" : "ACTIVE");
                assert.equal(pool.options.protect, stack !== "dev", "protected where protectData is on (staging and prod)");

                const client = one(run, "aws:cognito/userPoolClient:UserPoolClient", "edge-auth-web-client").inputs;
                assert.equal(client.generateSecret, false);
                assert.deepEqual(client.allowedOauthFlows, ["code"]);
                assert.equal(client.preventUserExistenceErrors, "ENABLED");
                const site = `https://${one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution").state.domainName}`;
                assert.equal(client.callbackUrls[0], `${site}/auth/callback`);
                assert.equal(client.callbackUrls.includes("http://localhost:3000/auth/callback"), stack === "dev");

                const identity = one(run, "aws:cognito/identityPool:IdentityPool", "edge-auth-identity-pool").inputs;
                assert.equal(identity.allowUnauthenticatedIdentities, false);
                const roles = one(run, "aws:cognito/identityPoolRoleAttachment:IdentityPoolRoleAttachment", "edge-auth-identity-roles").inputs.roles;
                assert.deepEqual(Object.keys(roles), ["authenticated"]);
            });

            it("no certificates, DNS records or health checks without a configured domain", async () => {
                const run = await edgeRun(stack);
                for (const type of ["aws:acm/certificate:Certificate", "aws:route53/record:Record", "aws:route53/healthCheck:HealthCheck", "aws:apigateway/domainName:DomainName"]) {
                    assert.equal(ofType(run, type).length, 0, type);
                }
                assert.equal(one(run, "aws:apigateway/restApi:RestApi", "edge-api-rest-api").inputs.disableExecuteApiEndpoint, false);
                assert.match(run.outputs.apiUrl, new RegExp(`^https://[a-z0-9]+\\.execute-api\\.ap-northeast-1\\.amazonaws\\.com/${stack}/$`));
                assert.match(run.outputs.siteUrl, /^https:\/\/d[0-9a-f]+\.cloudfront\.net$/);
            });

            it("every log group is KMS-encrypted with a retention; every resource has an explicit provider", async () => {
                const run = await edgeRun(stack);
                for (const g of ofType(run, "aws:cloudwatch/logGroup:LogGroup")) {
                    assert.ok(g.inputs.kmsKeyId && g.inputs.retentionInDays > 0, g.name);
                }
                for (const r of awsResources(run)) {
                    assert.ok(r.provider && /::(aws-main|aws-us-east-1)$/.test(r.provider), `${r.name} uses ${r.provider}`);
                }
            });
        });
    }
});

describe("edge: custom domain and hosted zone configured", () => {
    let run: StackRun;
    before(async () => {
        run = await runEdge("prod", { configOverrides: { "platform:edge": DOMAIN }, compute: { originProtocol: "https-only" } });
    });

    it("ACM certificates: us-east-1 for CloudFront, the stack region for the API, validated in the zone", () => {
        const cdn = one(run, "aws:acm/certificate:Certificate", "edge-cdn-cert-cert");
        const api = one(run, "aws:acm/certificate:Certificate", "edge-api-cert-cert");
        assert.equal(cdn.inputs.domainName, "app.example.com");
        assert.equal(regionOf(run, cdn), "us-east-1");
        assert.equal(api.inputs.domainName, "api.example.com");
        assert.equal(regionOf(run, api), "ap-northeast-1");
        for (const [prefix, cert] of [
            ["edge-cdn-cert", cdn],
            ["edge-api-cert", api],
        ] as const) {
            const record = one(run, "aws:route53/record:Record", `${prefix}-validation-0`);
            assert.equal(record.inputs.zoneId, "Z0123456789ABCDEFGHIJ");
            assert.equal(record.inputs.type, "CNAME");
            assert.deepEqual(record.inputs.records, [cert.state.domainValidationOptions[0].resourceRecordValue]);
            assert.equal(record.inputs.name, cert.state.domainValidationOptions[0].resourceRecordName);
            const validation = one(run, "aws:acm/certificateValidation:CertificateValidation", `${prefix}-validation`);
            assert.equal(validation.inputs.certificateArn, cert.state.arn);
            assert.deepEqual(validation.inputs.validationRecordFqdns, [record.state.fqdn]);
            assert.equal(regionOf(run, validation), regionOf(run, cert));
        }
    });

    it("the distribution serves the site name with TLSv1.2_2021 over SNI", () => {
        const d = one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution").inputs;
        assert.deepEqual(d.aliases, ["app.example.com"]);
        assert.deepEqual(d.viewerCertificate, {
            acmCertificateArn: one(run, "aws:acm/certificate:Certificate", "edge-cdn-cert-cert").state.arn,
            sslSupportMethod: "sni-only",
            minimumProtocolVersion: "TLSv1.2_2021",
        });
        const alb = originsOf(run).find((o: any) => o.originId === "alb");
        assert.equal(alb.domainName, "origin.example.com");
        assert.equal(alb.customOriginConfig.originProtocolPolicy, "https-only");
    });

    it("alias records for the site (A, AAAA), the API and the ALB origin; health checks", () => {
        const records = ofType(run, "aws:route53/record:Record").filter((r) => r.inputs.aliases);
        assert.deepEqual(records.map((r) => `${r.inputs.name} ${r.inputs.type}`).sort(), ["api.example.com A", "app.example.com A", "app.example.com AAAA", "origin.example.com A"]);
        const site = records.find((r) => r.inputs.name === "app.example.com")!;
        assert.equal(site.inputs.aliases[0].zoneId, "Z2FDTNDATAQYW2");
        const domain = one(run, "aws:apigateway/domainName:DomainName", "edge-api-domain");
        assert.equal(domain.inputs.securityPolicy, "TLS_1_2");
        assert.deepEqual(domain.inputs.endpointConfiguration, { types: "REGIONAL" });
        assert.equal(one(run, "aws:apigateway/restApi:RestApi", "edge-api-rest-api").inputs.disableExecuteApiEndpoint, true);
        const checks = ofType(run, "aws:route53/healthCheck:HealthCheck");
        assert.deepEqual(checks.map((c) => `${c.inputs.fqdn}${c.inputs.resourcePath}`).sort(), ["api.example.com/health", "app.example.com/"]);
        assert.equal(run.outputs.siteUrl, "https://app.example.com");
        assert.equal(run.outputs.apiUrl, "https://api.example.com/");
    });

    it("CORS answers for the site's origin", () => {
        const r = one(run, "aws:apigateway/integrationResponse:IntegrationResponse", "edge-api-options-search-integration-response");
        assert.equal(r.inputs.responseParameters["method.response.header.Access-Control-Allow-Origin"], "'https://app.example.com'");
        assert.equal(r.inputs.responseParameters["method.response.header.Access-Control-Allow-Methods"], "'OPTIONS,POST'");
    });
});

describe("edge: component-level guards", () => {
    it("upstream problems are reported together before any resource is registered", () => {
        const cfg = parseStackConfig(
            { region: "ap-northeast-1", environment: "dev", project: "ragplatform", owner: "platform-team", protectData: false, network: { azs: ["ap-northeast-1a", "ap-northeast-1c"] } },
            "dev",
        ).edge;
        const problems = upstreamProblems(cfg, { buckets: {} }, { functions: { other: fakeFunction("other") }, alb: { originProtocol: "https-only" } as never });
        assert.equal(problems.length, 7);
        assert.match(problems[0], /no bucket 'staticSite'/);
        assert.match(problems[1], /needs the logs bucket/);
        assert.match(problems[6], /Set edge\.domain\.origin/);
    });
    it("an https-only ALB without an origin name is refused with the key to set", async () => {
        await assert.rejects(runEdge("dev", { compute: { originProtocol: "https-only" } }), /the ALB only accepts HTTPS but no origin name is configured.*Set edge\.domain\.origin/);
    });
    it("a route whose function the compute tier does not provide is refused", async () => {
        await assert.rejects(runEdge("dev", { compute: { functions: ["ingest"] } }), /edge\.api\.routes\[0\] \(GET \/health\) uses function "rag-api", which the compute tier does not provide; expected one of ingest/);
    });
    it("IP sets from config in both scopes, the regional ACL on the ALB when asked, a CSP override", async () => {
        const run = await runEdge("staging", {
            configOverrides: {
                "platform:edge": { waf: { ipSets: { allow: ["198.51.100.0/24"], block: ["203.0.113.0/24"] }, regional: { associateAlb: true } }, cdn: { contentSecurityPolicy: "default-src 'self'; frame-ancestors 'none'" } },
            },
        });
        const headers = one(run, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "edge-cdn-security-headers").inputs.securityHeadersConfig;
        assert.equal(headers.contentSecurityPolicy.contentSecurityPolicy, "default-src 'self'; frame-ancestors 'none'");
        const sets = ofType(run, "aws:wafv2/ipSet:IpSet");
        assert.deepEqual(sets.map((s) => `${s.inputs.scope} ${s.inputs.addresses.join(",")} ${regionOf(run, s)}`).sort(), [
            "CLOUDFRONT 198.51.100.0/24 us-east-1",
            "CLOUDFRONT 203.0.113.0/24 us-east-1",
            "REGIONAL 198.51.100.0/24 ap-northeast-1",
            "REGIONAL 203.0.113.0/24 ap-northeast-1",
        ]);
        const acl = one(run, "aws:wafv2/webAcl:WebAcl", "edge-waf-cloudfront-acl");
        const block = one(run, "aws:wafv2/ipSet:IpSet", "edge-waf-cloudfront-block-ips");
        assert.deepEqual(acl.inputs.rules[0], {
            name: "block-ip-set",
            priority: 0,
            action: { block: {} },
            statement: { ipSetReferenceStatement: { arn: block.state.arn } },
            visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "ragplatform-staging-cloudfront-block-ip-set", sampledRequestsEnabled: true },
        });
        const albAssoc = one(run, "aws:wafv2/webAclAssociation:WebAclAssociation", "edge-alb-waf");
        assert.equal(albAssoc.inputs.resourceArn, FAKE_ALB_ARN);
        assert.equal(albAssoc.inputs.webAclArn, one(run, "aws:wafv2/webAcl:WebAcl", "edge-waf-regional-acl").state.arn);
    });
    it("standard logging v2: delivery source, destination and delivery in us-east-1 to <logs>/cloudfront", async () => {
        const run = await runEdge("prod", { configOverrides: { "platform:edge": { cdn: { accessLogs: { mode: "v2" } } } } });
        const dist = one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution");
        assert.equal(dist.inputs.loggingConfig, undefined);
        const dest = one(run, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination", "edge-cdn-log-destination");
        assert.equal(dest.inputs.deliveryDestinationConfiguration.destinationResourceArn, "arn:aws:s3:::fake-logs/cloudfront");
        assert.equal(dest.inputs.outputFormat, "parquet");
        const source = one(run, "aws:cloudwatch/logDeliverySource:LogDeliverySource", "edge-cdn-log-source");
        assert.equal(source.inputs.resourceArn, dist.state.arn);
        assert.equal(source.inputs.logType, "ACCESS_LOGS");
        const delivery = one(run, "aws:cloudwatch/logDelivery:LogDelivery", "edge-cdn-log-delivery");
        assert.equal(delivery.inputs.deliveryDestinationArn, dest.state.arn);
        for (const r of [dest, source, delivery]) {
            assert.equal(regionOf(run, r), "us-east-1", r.name);
        }
    });
    it("without compute functions there is no REST API (nothing to route to); the site and Cognito remain", async () => {
        const run = await runEdge("dev", { compute: { functions: [] } });
        assert.equal(ofType(run, "aws:apigateway/restApi:RestApi").length, 0);
        assert.equal(ofType(run, "aws:wafv2/webAcl:WebAcl").length, 1, "only the CloudFront ACL");
        assert.equal(ofType(run, "aws:cloudfront/distribution:Distribution").length, 1);
        assert.equal(ofType(run, "aws:cognito/userPool:UserPool").length, 1);
        assert.equal(run.outputs.apiUrl, null);
    });
    it("without an ALB only the static site is served", async () => {
        const run = await runEdge("dev", { compute: { alb: false } });
        const d = one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution").inputs;
        assert.deepEqual(
            unsecret(d.origins).map((o: any) => o.originId),
            ["static-site"],
        );
        assert.deepEqual(d.orderedCacheBehaviors, []);
    });
});

describe("edge: broken configurations create nothing", () => {
    const cases: Array<{ name: string; edge: Record<string, unknown>; expect: string }> = [
        { name: "a domain without a hosted zone", edge: { domain: { zoneName: "example.com", site: "app.example.com" } }, expect: "edge.domain.hostedZoneId: a custom domain (app.example.com) needs the Route53 hosted zone" },
        { name: "an invalid CIDR in an IP set", edge: { waf: { ipSets: { block: ["203.0.113.0/33"] } } }, expect: "edge.waf.ipSets.block[0]: prefix must be 0-32, got /33" },
        { name: "a CloudFront WAF outside us-east-1", edge: { waf: { region: "eu-west-1" } }, expect: 'edge.waf.region: a web ACL for CloudFront (scope CLOUDFRONT) can only live in us-east-1, got "eu-west-1"' },
    ];
    for (const c of cases) {
        it(c.name, async () => {
            const run = await runProgram({
                stack: "prod",
                config: mergeConfig(loadStackFile("prod"), { "platform:edge": c.edge }),
                program: () => {
                    try {
                        createPlatform(loadStackConfig());
                    } catch (e) {
                        return { error: (e as Error).message };
                    }
                    return { error: undefined };
                },
            });
            assert.ok(typeof run.outputs.error === "string" && run.outputs.error.includes(c.expect), `got: ${run.outputs.error}`);
            assert.match(run.outputs.error, /\(no resource was created\)/);
            assert.deepEqual(awsResources(run), []);
        });
    }
});

describe("edge in the whole program (real data and compute tiers)", () => {
    for (const stack of STACKS) {
        it(`${stack}: the static-site bucket has exactly one policy (this tier's: OAC + TLS only) and SSE-S3; CloudFront logs go to the logs bucket`, async () => {
            const run = await stackRun(stack);
            const site = ofType(run, "aws:s3/bucket:Bucket").find((b) => b.name.endsWith("-static-site") && !b.name.includes("replica"))!;
            assert.ok(site, "static-site bucket");
            const policies = ofType(run, "aws:s3/bucketPolicy:BucketPolicy").filter((p) => p.inputs.bucket === site.state.id);
            assert.deepEqual(
                policies.map((p) => p.name),
                ["edge-cdn-site-bucket-policy"],
            );
            const doc = policyDoc(policies[0].inputs.policy);
            const dist = one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution");
            assert.ok(doc.Statement.some((st: any) => st.Effect === "Allow" && st.Condition?.StringEquals?.["AWS:SourceArn"] === dist.state.arn && st.Resource === `${site.state.arn}/*`));
            assert.ok(doc.Statement.some((st: any) => st.Effect === "Deny" && st.Condition?.Bool?.["aws:SecureTransport"] === "false"));
            const origins = unsecret(dist.inputs.origins);
            assert.equal(origins.find((o: any) => o.originId === "static-site").domainName, site.state.bucketRegionalDomainName);
            const sse = ofType(run, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((e) => e.inputs.bucket === site.state.id);
            assert.equal(sse?.inputs.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256", "SSE-S3: no key policy needed for CloudFront");

            const logs = ofType(run, "aws:s3/bucket:Bucket").find((b) => b.name.endsWith("-logs") && !b.name.includes("replica"))!;
            assert.equal(dist.inputs.loggingConfig.bucket, `${logs.state.bucket}.s3.amazonaws.com`);
            const ownership = ofType(run, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").find((o) => o.inputs.bucket === logs.state.id);
            assert.equal(ownership?.inputs.rule.objectOwnership, "BucketOwnerPreferred", "legacy CloudFront logging needs ACLs on the logs bucket");
        });

        it(`${stack}: the ALB and the API functions come from the compute tier; the stack exports the edge entry points`, async () => {
            const run = await stackRun(stack);
            const dist = one(run, "aws:cloudfront/distribution:Distribution", "edge-cdn-distribution");
            const lb = ofType(run, "aws:lb/loadBalancer:LoadBalancer")[0];
            const alb = unsecret(dist.inputs.origins).find((o: any) => o.originId === "alb");
            assert.equal(alb.domainName, lb.state.dnsName);
            assert.equal(alb.customHeaders.length, 1);
            const fn = ofType(run, "aws:lambda/function:Function").find((f) => f.name.includes("rag-api"))!;
            const perms = ofType(run, "aws:lambda/permission:Permission").filter((p) => p.name.startsWith("edge-api-"));
            assert.equal(perms.length, 4);
            for (const p of perms) {
                assert.equal(p.inputs.function, fn.state.name);
            }
            for (const key of ["siteUrl", "distributionDomainName", "apiUrl", "userPoolId", "userPoolClientId", "identityPoolId", "webAclArn"]) {
                assert.ok(typeof run.outputs[key] === "string" && run.outputs[key].length > 0, `${key}: ${run.outputs[key]}`);
            }
        });
    }
});
