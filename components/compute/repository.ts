import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { Image } from "@pulumi/awsx/ecr";
import type { ComputeContext } from "./context";
import * as naming from "./naming";
import { lambdaPullPolicy, lifecyclePolicy } from "./policies";

export interface ImageBuild {
    /** The workload the image is for (part of the child name). */
    workload: string;
    context: string;
    dockerfile?: string;
    tag?: string;
    platform: "linux/amd64" | "linux/arm64";
}

export interface ImageRepositoryArgs {
    c: ComputeContext;
    /** Repository key in config (`image.repository`). */
    repository: string;
    keepLastImages: number;
    untaggedExpireDays: number;
    /** A Lambda function uses an image from it: allow Lambda to pull for this stack's functions. */
    lambdaPull: boolean;
    /** Images to build from a Docker context and push on `pulumi up` (awsx.ecr.Image). */
    builds: readonly ImageBuild[];
}

/**
 * An ECR repository (seed 000 INFRA-006): scan on push, immutable tags, KMS encryption (the
 * AWS-managed ECR key, so ECS and Lambda pulls need no key-policy grants), a lifecycle policy that
 * expires untagged images and keeps the last N, and optionally Docker builds pushed with awsx.
 *
 * Costs: $0.10 per GB-month stored; scanning on push is free (basic scanning).
 */
export class ImageRepository extends pulumi.ComponentResource {
    public readonly repositoryUrl: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;
    /** Built image URIs (with digest) by workload. */
    public readonly builtImages: Readonly<Record<string, pulumi.Output<string>>>;

    constructor(name: string, args: ImageRepositoryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:compute:ImageRepository", name, {}, opts);
        const { c } = args;
        const repo = new aws.ecr.Repository(
            `${name}-repo`,
            {
                name: naming.repositoryName(c.ctx.namePrefix, args.repository),
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS" }],
                forceDelete: !c.protect,
            },
            { parent: this, protect: c.protect },
        );
        new aws.ecr.LifecyclePolicy(
            `${name}-lifecycle`,
            { repository: repo.name, policy: JSON.stringify(lifecyclePolicy(args.keepLastImages, args.untaggedExpireDays)) },
            { parent: this },
        );
        if (args.lambdaPull) {
            new aws.ecr.RepositoryPolicy(
                `${name}-lambda-pull`,
                {
                    repository: repo.name,
                    policy: c.facts.apply((f) => JSON.stringify(lambdaPullPolicy(`arn:${f.partition}:lambda:${f.region}:${f.accountId}:function:${c.ctx.namePrefix}-*`))),
                },
                { parent: this },
            );
        }
        const built: Record<string, pulumi.Output<string>> = {};
        for (const b of args.builds) {
            const image = new Image(
                `${name}-image-${b.workload}`,
                {
                    repositoryUrl: repo.repositoryUrl,
                    context: b.context,
                    ...(b.dockerfile ? { dockerfile: b.dockerfile } : {}),
                    ...(b.tag ? { imageTag: b.tag } : {}),
                    platform: b.platform,
                },
                { parent: this },
            );
            built[b.workload] = image.imageUri;
        }
        this.repositoryUrl = repo.repositoryUrl;
        this.arn = repo.arn;
        this.builtImages = built;
        this.registerOutputs({ repositoryUrl: this.repositoryUrl, arn: this.arn });
    }
}
