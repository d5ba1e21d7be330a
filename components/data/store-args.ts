import type * as pulumi from "@pulumi/pulumi";

/**
 * What every stateful store of the data tier (Aurora, Redis) takes from the tier: where it runs,
 * which keys encrypt it and whether it is protected. Each store adds its own config section.
 */
export interface DataStoreArgs {
    /** Prefix of physical names, e.g. `ragplatform-prod`. */
    namePrefix: string;
    /** Data subnets (no internet route) of the network tier. */
    subnetIds: pulumi.Input<string>[];
    /** The store's security group of the network tier's matrix (`rds`, `cache`). */
    securityGroupId: pulumi.Input<string>;
    /** Data-domain CMK: encryption at rest (and Performance Insights for Aurora). */
    kmsKeyArn: pulumi.Input<string>;
    /** Secrets-domain CMK: the store's credentials secret (RDS-managed master secret, Redis AUTH token). */
    secretsKmsKeyArn: pulumi.Input<string>;
    /** CMK of every CloudWatch log group. */
    logsKeyArn: pulumi.Input<string>;
    /** Prod: `protect`/`retainOnDelete`, deletion protection, changes in the maintenance window. */
    protect: boolean;
}
