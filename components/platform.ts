/**
 * The composition root's body: providers -> shared keys -> Network -> (tiers) -> outputs.
 * One direction only: each tier receives plain config and the typed outputs of the tiers it needs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config";
import { createProviders, Providers } from "./providers";
import { KmsKey } from "./security/kms-key";
import { cloudWatchLogsStatement, keyPolicy, rootStatement } from "./security/key-policy";
import { Network } from "./network/network";

export interface Platform {
    providers: Providers;
    /** Account facts of the main provider. */
    accountId: pulumi.Output<string>;
    partition: pulumi.Output<string>;
    /** Prefix of physical names and Name tags: `<project>-<stack>`. */
    namePrefix: string;
    /** The customer-managed key of every CloudWatch log group of the stack. */
    logsKey: KmsKey;
    network: Network;
}

export function createPlatform(cfg: StackConfig): Platform {
    const providers = createProviders(cfg);
    const mainOpts = { provider: providers.main };
    const accountId = aws.getCallerIdentityOutput({}, mainOpts).accountId;
    const partition = aws.getPartitionOutput({}, mainOpts).partition;
    const namePrefix = `${cfg.project}-${cfg.stack}`;

    const logsKey = new KmsKey(
        "logs-key",
        {
            description: `${namePrefix}: CloudWatch Logs encryption`,
            alias: `${namePrefix}-logs`,
            policy: pulumi
                .all([accountId, partition])
                .apply(([id, part]) => JSON.stringify(keyPolicy([rootStatement({ accountId: id, partition: part, region: cfg.region }), cloudWatchLogsStatement({ accountId: id, partition: part, region: cfg.region })]))),
            protect: cfg.protectData,
        },
        { providers: [providers.main] },
    );

    const network = new Network(
        "network",
        { config: cfg.network, region: cfg.region, namePrefix, logsKeyArn: logsKey.arn, accountId, partition },
        { providers: [providers.main] },
    );

    return { providers, accountId, partition, namePrefix, logsKey, network };
}
