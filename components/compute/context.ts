import type * as pulumi from "@pulumi/pulumi";
import type { DataOutputs, NetworkOutputs, PlatformContext } from "../contracts";
import type { Environment } from "../validation";
import type { AccountFacts } from "./iam";

/** What every compute component receives from the Compute root. */
export interface ComputeContext {
    ctx: PlatformContext;
    network: NetworkOutputs;
    data: DataOutputs;
    facts: pulumi.Output<AccountFacts>;
    environment: Environment;
    /** Application log retention (days). */
    logRetentionDays: number;
    /** Protect stateful children (cfg.protectData). */
    protect: boolean;
}

/** The AWS managed policy ARN in the stack's partition (names must be in ALLOWED_MANAGED_POLICIES). */
export function managedPolicyArn(partition: string, path: "AmazonECSTaskExecutionRolePolicy" | "AWSLambdaVPCAccessExecutionRole"): string {
    return `arn:${partition}:iam::aws:policy/service-role/${path}`;
}
