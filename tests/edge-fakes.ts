/**
 * Fake upstream outputs (data and compute tiers) and a program that builds the edge tier from a
 * stack's real configuration, for the edge tests while the upstream tiers are built in parallel.
 */
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "../components/config";
import type { BucketRef, ComputeOutputs, DataOutputs, FunctionRef } from "../components/contracts";
import { Edge } from "../components/edge/edge";
import { createProviders } from "../components/providers";
import { fakeContext, runProgram } from "./harness";
import { loadStackFile, mergeConfig } from "../tools/offline/run";
import { MOCK_ACCOUNT_ID } from "../tools/offline/mocks";
import type { StackRun } from "../tools/offline/types";

export const REGION = "ap-northeast-1";

export function fakeBucket(name: string): BucketRef {
    return {
        name: pulumi.output(name),
        arn: pulumi.output(`arn:aws:s3:::${name}`),
        regionalDomainName: pulumi.output(`${name}.s3.${REGION}.amazonaws.com`),
    };
}

export function fakeFunction(name: string): FunctionRef {
    const arn = `arn:aws:lambda:${REGION}:${MOCK_ACCOUNT_ID}:function:fake-${name}`;
    return {
        name,
        functionName: pulumi.output(`fake-${name}`),
        arn: pulumi.output(arn),
        invokeArn: pulumi.output(`arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`),
        timeoutSeconds: 30,
        memoryMb: 512,
    };
}

export const FAKE_ALB_DNS = `fake-alb-123.${REGION}.elb.amazonaws.com`;
export const FAKE_ALB_ARN = `arn:aws:elasticloadbalancing:${REGION}:${MOCK_ACCOUNT_ID}:loadbalancer/app/fake-alb/0123456789abcdef`;

export function fakeData(): Pick<DataOutputs, "buckets"> {
    return { buckets: { staticSite: fakeBucket("fake-static-site"), logs: fakeBucket("fake-logs") } };
}

export function fakeCompute(opts: { originProtocol?: "https-only" | "http-only"; alb?: boolean; functions?: string[] } = {}): Pick<ComputeOutputs, "alb" | "originVerifyHeader" | "functions"> {
    return {
        alb:
            opts.alb === false
                ? undefined
                : {
                      arn: pulumi.output(FAKE_ALB_ARN),
                      arnSuffix: pulumi.output("app/fake-alb/0123456789abcdef"),
                      dnsName: pulumi.output(FAKE_ALB_DNS),
                      zoneId: pulumi.output("Z14GRHDCWA56QT"),
                      listenerArn: pulumi.output(`${FAKE_ALB_ARN}/listener`),
                      originProtocol: opts.originProtocol ?? "http-only",
                  },
        originVerifyHeader: { name: "X-Origin-Verify", value: pulumi.secret("fake-origin-secret") },
        functions: Object.fromEntries((opts.functions ?? ["rag-api"]).map((f) => [f, fakeFunction(f)])),
    };
}

export interface EdgeRunOptions {
    configOverrides?: Record<string, unknown>;
    compute?: Parameters<typeof fakeCompute>[0];
}

/** Runs the edge tier with a stack file's config (plus overrides) and fake upstream tiers. */
export function runEdge(stack: string, opts: EdgeRunOptions = {}): Promise<StackRun> {
    return runProgram({
        stack,
        config: mergeConfig(loadStackFile(stack), opts.configOverrides),
        program: () => {
            const cfg = loadStackConfig();
            const providers = createProviders(cfg);
            const ctx = fakeContext({ namePrefix: `${cfg.project}-${cfg.stack}`, region: cfg.region });
            const edge = new Edge(
                "edge",
                {
                    config: cfg.edge,
                    environment: cfg.environment,
                    protectData: cfg.protectData,
                    ctx: ctx as never,
                    usEast1: providers.usEast1,
                    data: fakeData(),
                    compute: fakeCompute(opts.compute),
                },
                { providers: [providers.main] },
            );
            return {
                distributionDomainName: edge.distribution.domainName,
                siteUrl: edge.siteUrl,
                apiUrl: edge.api?.url ?? null,
                userPoolId: edge.userPool.id,
                userPoolClientId: edge.userPool.clientId,
                webAclArn: edge.webAclArn,
            };
        },
    });
}

