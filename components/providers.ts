/**
 * The AWS providers of one stack. Every AWS resource is created through one of these (never the
 * default provider), so every resource carries the default tags (seed 001 AC-OPS-4).
 */
import * as aws from "@pulumi/aws";
import type { StackConfig } from "./config";

export interface Providers {
    /** The stack's region (`aws:region`). */
    main: aws.Provider;
    /** us-east-1: CloudFront certificates and CLOUDFRONT-scope WAF must live here. */
    usEast1: aws.Provider;
    /** The DR region (us-west-2 by default): replicas and backup copies. */
    dr: aws.Provider;
}

/** Logical names are part of every child URN: never rename these. */
export const PROVIDER_NAMES = { main: "aws-main", usEast1: "aws-us-east-1", dr: "aws-dr" } as const;

export function createProviders(cfg: Pick<StackConfig, "region" | "drRegion" | "tags">): Providers {
    const make = (name: string, region: string) =>
        new aws.Provider(name, {
            region,
            defaultTags: { tags: { ...cfg.tags } },
        });
    return {
        main: make(PROVIDER_NAMES.main, cfg.region),
        usEast1: make(PROVIDER_NAMES.usEast1, "us-east-1"),
        dr: make(PROVIDER_NAMES.dr, cfg.drRegion),
    };
}
