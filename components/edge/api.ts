import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { FunctionRef, LogGroupRef } from "../contracts";
import type { EdgeSettings } from "./schema";
import {
    ACCESS_LOG_FORMAT,
    accessLogGroupName,
    apiGatewayCloudWatchPolicy,
    executionLogGroupName,
    lambdaSourceArnSuffix,
    modelName,
    pathSlug,
    perClientLimits,
    redeploymentHash,
    resourceTree,
    serviceTrustPolicy,
} from "./policies";

export interface ApiArgs {
    namePrefix: string;
    region: string;
    accountId: pulumi.Input<string>;
    partition: pulumi.Input<string>;
    /** The validated `edge.api` section. */
    config: EdgeSettings["api"];
    /** Stage name (edge.api.stageName, default the environment). */
    stageName: string;
    /** The compute tier's functions by name; every route's `function` must be here. */
    functions: Readonly<Record<string, FunctionRef>>;
    /** User pool of the Cognito authorizer. */
    userPoolArn: pulumi.Input<string>;
    /** Allowed CORS origin (the site origin unless edge.api.cors.allowOrigin is set). */
    corsOrigin: pulumi.Input<string>;
    /** CMK of the access and execution log groups (ctx.logsKeyArn). */
    logsKeyArn: pulumi.Input<string>;
    /** REGIONAL web ACL to associate with the stage. */
    webAclArn?: pulumi.Input<string>;
    /** Custom domain (regional endpoint, TLS 1.2) and its alias record. */
    customDomain?: { domainName: string; certificateArn: pulumi.Input<string>; hostedZoneId: string };
    /** Manage the account-level CloudWatch role setting of API Gateway in this region. */
    manageAccountSettings: boolean;
}

/**
 * The REST API of seed 000 INFRA-004: regional endpoint, a Cognito authorizer on every route but
 * the health check, Lambda proxy integrations with per-route invoke permissions, CORS preflight
 * (mock integrations) and CORS headers on gateway errors, request-body validation with JSON-schema
 * models, a deployment redeployed whenever the routes change, a stage with JSON access logs and
 * execution logs (KMS-encrypted groups), X-Ray, stage throttling, a usage plan for per-client
 * limits, the REGIONAL WAF and an optional custom domain.
 *
 * Creates: RestApi, Authorizer, RequestValidator, Resource/Method/Integration per route, Model
 * per request schema, lambda.Permission per route, OPTIONS Method/Integration/MethodResponse/
 * IntegrationResponse per path, two gateway Responses, Deployment, Stage, MethodSettings,
 * two LogGroups, UsagePlan (+ ApiKey/UsagePlanKey per client), the account CloudWatch role and
 * apigateway.Account, WebAclAssociation, DomainName + BasePathMapping + route53.Record.
 * Costs: $4.25 per million requests (ap-northeast-1, first 333 M); X-Ray $5 per million traces
 * recorded beyond the free tier; logs $0.76/GB ingested.
 */
export class Api extends pulumi.ComponentResource {
    public readonly id: pulumi.Output<string>;
    public readonly name: pulumi.Output<string>;
    public readonly stageName: string;
    public readonly stageArn: pulumi.Output<string>;
    public readonly executionArn: pulumi.Output<string>;
    /** Base URL clients call (custom domain root, or the stage's execute-api URL). */
    public readonly url: pulumi.Output<string>;
    /** Host name and path prefix a health check uses. */
    public readonly healthCheckHost: pulumi.Output<string>;
    public readonly healthCheckPath: pulumi.Output<string>;
    public readonly logGroups: LogGroupRef[];

    constructor(name: string, args: ApiArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:edge:Api", name, {}, opts);
        const cfg = args.config;
        const child = { parent: this };
        for (const [i, r] of cfg.routes.entries()) {
            if (!args.functions[r.function]) {
                throw new Error(
                    `Api ${name}: edge.api.routes[${i}] (${r.method} ${r.path}) uses function ${JSON.stringify(r.function)}, which the compute tier does not provide; expected one of ${Object.keys(args.functions).join(", ") || "(no functions)"}`,
                );
            }
        }

        const api = new aws.apigateway.RestApi(
            `${name}-rest-api`,
            {
                name: `${args.namePrefix}-api`,
                description: `${args.namePrefix}: REST API (seed 000 INFRA-004)`,
                endpointConfiguration: { types: "REGIONAL" },
                // With a custom domain (TLS 1.2 policy) the default endpoint is switched off.
                disableExecuteApiEndpoint: args.customDomain !== undefined,
                apiKeySource: "HEADER",
            },
            child,
        );
        this.id = api.id;
        this.name = api.name;
        this.executionArn = api.executionArn;

        const authorizer = new aws.apigateway.Authorizer(
            `${name}-cognito`,
            { restApi: api.id, name: "cognito", type: "COGNITO_USER_POOLS", providerArns: [args.userPoolArn], identitySource: "method.request.header.Authorization" },
            child,
        );
        const validator = new aws.apigateway.RequestValidator(
            `${name}-validator`,
            { restApi: api.id, name: "body-and-parameters", validateRequestBody: true, validateRequestParameters: true },
            child,
        );

        // Resources: one per path segment, parents first, from the plain route list.
        const resources = new Map<string, aws.apigateway.Resource>();
        for (const node of resourceTree(cfg.routes.map((r) => r.path))) {
            resources.set(
                node.path,
                new aws.apigateway.Resource(
                    `${name}-res-${pathSlug(node.path)}`,
                    { restApi: api.id, parentId: node.parentPath ? resources.get(node.parentPath)!.id : api.rootResourceId, pathPart: node.pathPart },
                    child,
                ),
            );
        }

        const deploymentDeps: pulumi.Resource[] = [];
        for (const r of cfg.routes) {
            const slug = `${r.method.toLowerCase()}-${pathSlug(r.path)}`;
            const resource = resources.get(r.path)!;
            const fn = args.functions[r.function];
            let model: aws.apigateway.Model | undefined;
            if (r.requestSchema) {
                model = new aws.apigateway.Model(
                    `${name}-model-${slug}`,
                    {
                        restApi: api.id,
                        name: modelName(r.method, r.path),
                        contentType: "application/json",
                        schema: JSON.stringify({ $schema: "http://json-schema.org/draft-04/schema#", ...r.requestSchema }),
                    },
                    child,
                );
            }
            const method = new aws.apigateway.Method(
                `${name}-${slug}`,
                {
                    restApi: api.id,
                    resourceId: resource.id,
                    httpMethod: r.method,
                    authorization: r.auth ? "COGNITO_USER_POOLS" : "NONE",
                    authorizerId: r.auth ? authorizer.id : undefined,
                    apiKeyRequired: r.auth && cfg.perClient.requireApiKey,
                    requestValidatorId: model ? validator.id : undefined,
                    requestModels: model ? { "application/json": model.name } : undefined,
                },
                child,
            );
            const integration = new aws.apigateway.Integration(
                `${name}-${slug}-integration`,
                { restApi: api.id, resourceId: resource.id, httpMethod: method.httpMethod, type: "AWS_PROXY", integrationHttpMethod: "POST", uri: fn.invokeArn, timeoutMilliseconds: 29000 },
                child,
            );
            new aws.lambda.Permission(
                `${name}-${slug}-invoke`,
                {
                    action: "lambda:InvokeFunction",
                    function: fn.functionName,
                    principal: "apigateway.amazonaws.com",
                    sourceArn: pulumi.interpolate`${api.executionArn}${lambdaSourceArnSuffix(r.method, r.path)}`,
                },
                child,
            );
            deploymentDeps.push(method, integration);
        }

        // CORS preflight on every path with routes; the Lambda responses carry their own CORS headers.
        const corsHeaders = {
            "method.response.header.Access-Control-Allow-Headers": true,
            "method.response.header.Access-Control-Allow-Methods": true,
            "method.response.header.Access-Control-Allow-Origin": true,
            "method.response.header.Access-Control-Max-Age": true,
        };
        const paths = [...new Set(cfg.routes.map((r) => r.path))];
        for (const path of paths) {
            const slug = `options-${pathSlug(path)}`;
            const resource = resources.get(path)!;
            const methods = ["OPTIONS", ...cfg.routes.filter((r) => r.path === path).map((r) => r.method)];
            const options = new aws.apigateway.Method(`${name}-${slug}`, { restApi: api.id, resourceId: resource.id, httpMethod: "OPTIONS", authorization: "NONE" }, child);
            const mock = new aws.apigateway.Integration(
                `${name}-${slug}-integration`,
                { restApi: api.id, resourceId: resource.id, httpMethod: options.httpMethod, type: "MOCK", requestTemplates: { "application/json": '{"statusCode": 200}' } },
                child,
            );
            const response = new aws.apigateway.MethodResponse(
                `${name}-${slug}-response`,
                { restApi: api.id, resourceId: resource.id, httpMethod: options.httpMethod, statusCode: "200", responseParameters: corsHeaders, responseModels: { "application/json": "Empty" } },
                child,
            );
            const integrationResponse = new aws.apigateway.IntegrationResponse(
                `${name}-${slug}-integration-response`,
                {
                    restApi: api.id,
                    resourceId: resource.id,
                    httpMethod: options.httpMethod,
                    statusCode: response.statusCode,
                    responseParameters: {
                        "method.response.header.Access-Control-Allow-Headers": `'${cfg.cors.allowHeaders.join(",")}'`,
                        "method.response.header.Access-Control-Allow-Methods": `'${methods.join(",")}'`,
                        "method.response.header.Access-Control-Allow-Origin": pulumi.interpolate`'${args.corsOrigin}'`,
                        "method.response.header.Access-Control-Max-Age": `'${cfg.cors.maxAgeSeconds}'`,
                    },
                },
                { parent: this, dependsOn: [mock] },
            );
            deploymentDeps.push(options, mock, response, integrationResponse);
        }
        // Errors produced by API Gateway itself (401 from the authorizer, 429, 5xx) must be readable by the browser.
        for (const type of ["DEFAULT_4XX", "DEFAULT_5XX"] as const) {
            deploymentDeps.push(
                new aws.apigateway.Response(
                    `${name}-${type.toLowerCase().replace("_", "-")}`,
                    {
                        restApiId: api.id,
                        responseType: type,
                        responseParameters: {
                            "gatewayresponse.header.Access-Control-Allow-Origin": pulumi.interpolate`'${args.corsOrigin}'`,
                            "gatewayresponse.header.Access-Control-Allow-Headers": `'${cfg.cors.allowHeaders.join(",")}'`,
                        },
                    },
                    child,
                ),
            );
        }

        const deployment = new aws.apigateway.Deployment(
            `${name}-deployment`,
            {
                restApi: api.id,
                description: `${args.namePrefix}: routes ${cfg.routes.map((r) => `${r.method} ${r.path}`).join(", ")}`.slice(0, 1024),
                triggers: {
                    redeployment: pulumi.output(args.corsOrigin).apply((origin) => redeploymentHash({ routes: cfg.routes, cors: cfg.cors, origin, requireApiKey: cfg.perClient.requireApiKey })),
                },
            },
            { parent: this, dependsOn: deploymentDeps },
        );

        // Account-level: the role API Gateway uses to write logs in this region (named actions, inline).
        const accountDeps: pulumi.Resource[] = [];
        if (args.manageAccountSettings) {
            const role = new aws.iam.Role(
                `${name}-cloudwatch-role`,
                {
                    name: `${args.namePrefix}-apigw-cloudwatch`,
                    description: "API Gateway writes execution and access logs to CloudWatch Logs",
                    assumeRolePolicy: pulumi.output(args.accountId).apply((id) => JSON.stringify(serviceTrustPolicy("apigateway.amazonaws.com", id))),
                },
                child,
            );
            const policy = new aws.iam.RolePolicy(
                `${name}-cloudwatch-policy`,
                {
                    role: role.id,
                    policy: pulumi
                        .all([args.partition, args.accountId])
                        .apply(([partition, accountId]) => JSON.stringify(apiGatewayCloudWatchPolicy({ partition, accountId, region: args.region }))),
                },
                child,
            );
            accountDeps.push(new aws.apigateway.Account(`${name}-account`, { cloudwatchRoleArn: role.arn }, { parent: this, dependsOn: [policy] }));
        }

        const accessLogs = new aws.cloudwatch.LogGroup(
            `${name}-access-logs`,
            { name: accessLogGroupName(args.namePrefix), retentionInDays: cfg.logRetentionDays, kmsKeyId: args.logsKeyArn },
            child,
        );
        // Pre-created so that it is encrypted and expires (API Gateway would create it without either).
        const executionLogs = new aws.cloudwatch.LogGroup(
            `${name}-execution-logs`,
            { name: api.id.apply((id) => executionLogGroupName(id, args.stageName)), retentionInDays: cfg.logRetentionDays, kmsKeyId: args.logsKeyArn },
            child,
        );

        const stage = new aws.apigateway.Stage(
            `${name}-stage`,
            {
                restApi: api.id,
                deployment: deployment.id,
                stageName: args.stageName,
                description: `${args.namePrefix} ${args.stageName}`,
                xrayTracingEnabled: cfg.xrayTracing,
                accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
            },
            { parent: this, dependsOn: [...accountDeps, executionLogs] },
        );
        this.stageName = args.stageName;
        this.stageArn = stage.arn;

        new aws.apigateway.MethodSettings(
            `${name}-method-settings`,
            {
                restApi: api.id,
                stageName: stage.stageName,
                methodPath: "*/*",
                settings: {
                    metricsEnabled: true,
                    loggingLevel: cfg.loggingLevel,
                    dataTraceEnabled: false,
                    throttlingRateLimit: cfg.throttle.rateLimit,
                    throttlingBurstLimit: cfg.throttle.burstLimit,
                },
            },
            child,
        );

        const limits = perClientLimits(cfg.perClient.requestsPerHour, cfg.perClient.burst);
        const plan = new aws.apigateway.UsagePlan(
            `${name}-usage-plan`,
            {
                name: `${args.namePrefix}-per-client`,
                description: `Per client: ${cfg.perClient.requestsPerHour} requests/hour as ${limits.throttle.rateLimit} rps (burst ${limits.throttle.burstLimit}) and ${limits.quota.limit}/day`,
                apiStages: [{ apiId: api.id, stage: stage.stageName }],
                throttleSettings: limits.throttle,
                quotaSettings: limits.quota,
            },
            child,
        );
        for (const client of cfg.perClient.apiKeys) {
            const key = new aws.apigateway.ApiKey(`${name}-key-${client}`, { name: `${args.namePrefix}-${client}`, description: `API key of client ${client}`, enabled: true }, child);
            new aws.apigateway.UsagePlanKey(`${name}-plan-key-${client}`, { keyId: key.id, keyType: "API_KEY", usagePlanId: plan.id }, child);
        }

        if (args.webAclArn) {
            new aws.wafv2.WebAclAssociation(`${name}-waf`, { resourceArn: stage.arn, webAclArn: args.webAclArn }, child);
        }

        if (args.customDomain) {
            const domain = new aws.apigateway.DomainName(
                `${name}-domain`,
                {
                    domainName: args.customDomain.domainName,
                    regionalCertificateArn: args.customDomain.certificateArn,
                    endpointConfiguration: { types: "REGIONAL" },
                    securityPolicy: "TLS_1_2",
                },
                child,
            );
            new aws.apigateway.BasePathMapping(`${name}-base-path`, { restApi: api.id, stageName: stage.stageName, domainName: domain.domainName }, child);
            new aws.route53.Record(
                `${name}-alias`,
                {
                    zoneId: args.customDomain.hostedZoneId,
                    name: args.customDomain.domainName,
                    type: "A",
                    aliases: [{ name: domain.regionalDomainName, zoneId: domain.regionalZoneId, evaluateTargetHealth: false }],
                },
                child,
            );
            this.url = pulumi.output(`https://${args.customDomain.domainName}/`);
            this.healthCheckHost = pulumi.output(args.customDomain.domainName);
            this.healthCheckPath = pulumi.output("/health");
        } else {
            this.url = pulumi.interpolate`https://${api.id}.execute-api.${args.region}.amazonaws.com/${stage.stageName}/`;
            this.healthCheckHost = pulumi.interpolate`${api.id}.execute-api.${args.region}.amazonaws.com`;
            this.healthCheckPath = pulumi.output(`/${args.stageName}/health`);
        }

        this.logGroups = [
            { name: accessLogs.name, arn: accessLogs.arn, kind: "access", owner: "api" },
            { name: executionLogs.name, arn: executionLogs.arn, kind: "application", owner: "api" },
        ];
        this.registerOutputs({ id: this.id, url: this.url, stageArn: this.stageArn });
    }
}
