/**
 * The composition root's body: providers -> shared context (account, logs key) -> Network ->
 * Data -> Compute -> Edge -> Monitoring. One direction only: each tier receives its config
 * section, the PlatformContext and the typed outputs (components/contracts.ts) of the tiers
 * before it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import type { PlatformContext } from "./contracts";
import { createProviders, Providers } from "./providers";
import { KmsKey } from "./security/kms-key";
import { cloudWatchLogsStatement, keyPolicy, rootStatement } from "./security/key-policy";
import { Network } from "./network/network";
import { DataTier } from "./data/data-tier";
import { Compute } from "./compute/compute";
import { Edge } from "./edge/edge";
import { Monitoring } from "./monitoring/monitoring";

export interface Platform {
    providers: Providers;
    ctx: PlatformContext;
    /** The customer-managed key of every CloudWatch log group of the stack. */
    logsKey: KmsKey;
    network: Network;
    data: DataTier;
    compute: Compute;
    edge: Edge;
    monitoring: Monitoring;
}

/**
 * Puts the permissions boundary on every IAM role of the platform (the deploy role of
 * deployments/ may only create roles that carry it). A role that sets its own boundary keeps it.
 */
export function withPermissionsBoundary(boundaryArn: pulumi.Input<string>): pulumi.ResourceTransformation {
    return (args) => {
        if (args.type === "aws:iam/role:Role" && args.props.permissionsBoundary === undefined) {
            return { props: { ...args.props, permissionsBoundary: boundaryArn }, opts: args.opts };
        }
        return undefined;
    };
}

export function createPlatform(cfg: StackConfig): Platform {
    const providers = createProviders(cfg);
    const mainOpts = { provider: providers.main };
    const accountId = aws.getCallerIdentityOutput({}, mainOpts).accountId;
    const partition = aws.getPartitionOutput({}, mainOpts).partition;
    const namePrefix = `${cfg.project}-${cfg.stack}`;
    // Top-level components get the main provider; children inherit it (and the transformations) through `parent`.
    const boundaryArn = cfg.permissionsBoundary === undefined ? undefined : pulumi.interpolate`arn:${partition}:iam::${accountId}:policy/${cfg.permissionsBoundary}`;
    const inMain: pulumi.ComponentResourceOptions = {
        providers: [providers.main],
        transformations: boundaryArn === undefined ? [] : [withPermissionsBoundary(boundaryArn)],
    };

    const logsKey = new KmsKey(
        "logs-key",
        {
            description: `${namePrefix}: CloudWatch Logs encryption`,
            alias: `${namePrefix}-logs`,
            policy: pulumi.all([accountId, partition]).apply(([id, part]) => {
                const account = { accountId: id, partition: part, region: cfg.region };
                return JSON.stringify(keyPolicy([rootStatement(account), cloudWatchLogsStatement(account)]));
            }),
            protect: cfg.protectData,
        },
        inMain,
    );

    const ctx: PlatformContext = {
        namePrefix,
        region: cfg.region,
        drRegion: cfg.drRegion,
        accountId,
        partition,
        logsKeyArn: logsKey.arn,
        logsKeyAlias: logsKey.aliasName,
    };

    const network = new Network(
        "network",
        { config: cfg.network, region: cfg.region, namePrefix, logsKeyArn: logsKey.arn, accountId, partition },
        inMain,
    );

    // Tiers are added below in dependency order: data, compute, edge, monitoring.
    const data = new DataTier(
        "data",
        { config: cfg.data, ctx, network, drProvider: providers.dr, protect: cfg.protectData, secrets: cfg.secrets },
        inMain,
    );
    const compute = new Compute(
        "compute",
        { config: cfg.compute, environment: cfg.environment, protect: cfg.protectData, ctx, network, data },
        inMain,
    );

    const edge = new Edge(
        "edge",
        { config: cfg.edge, environment: cfg.environment, protectData: cfg.protectData, ctx, usEast1: providers.usEast1, data, compute },
        inMain,
    );

    const monitoring = new Monitoring(
        "monitoring",
        {
            config: cfg.monitoring,
            ctx,
            environment: cfg.environment,
            tags: cfg.tags,
            protect: cfg.protectData,
            usEast1: providers.usEast1,
            network,
            data,
            compute,
            edge,
        },
        inMain,
    );

    return { providers, ctx, logsKey, network, data, compute, edge, monitoring };
}
