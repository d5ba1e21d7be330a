import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface KmsKeyArgs {
    /** What the key protects; shown in the console. */
    description: string;
    /** Alias without the `alias/` prefix, e.g. `shop-prod-logs`. */
    alias: string;
    /** The key policy JSON (see key-policy.ts builders). */
    policy: pulumi.Input<string>;
    /**
     * Waiting period before a scheduled deletion completes. @default 30 (the maximum, production-safe)
     */
    deletionWindowInDays?: number;
    /** Protect the key from `pulumi destroy` and accidental replacement (prod). @default true */
    protect?: boolean;
}

/**
 * A customer-managed, automatically rotated KMS key with an alias.
 *
 * Creates: `aws.kms.Key` (`<name>-key`), `aws.kms.Alias` (`<name>-alias`).
 * Costs: $1/month per key plus $0.03 per 10,000 requests.
 */
export class KmsKey extends pulumi.ComponentResource {
    public readonly key: aws.kms.Key;
    public readonly arn: pulumi.Output<string>;
    public readonly keyId: pulumi.Output<string>;
    public readonly aliasName: pulumi.Output<string>;

    constructor(name: string, args: KmsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:security:KmsKey", name, {}, opts);
        const protect = args.protect ?? true;
        this.key = new aws.kms.Key(
            `${name}-key`,
            {
                description: args.description,
                enableKeyRotation: true,
                deletionWindowInDays: args.deletionWindowInDays ?? 30,
                policy: args.policy,
                tags: { Name: args.alias },
            },
            { parent: this, protect, retainOnDelete: protect },
        );
        const alias = new aws.kms.Alias(`${name}-alias`, { name: `alias/${args.alias}`, targetKeyId: this.key.keyId }, { parent: this });
        this.arn = this.key.arn;
        this.keyId = this.key.keyId;
        this.aliasName = alias.name;
        this.registerOutputs({ arn: this.arn, keyId: this.keyId, aliasName: this.aliasName });
    }
}
