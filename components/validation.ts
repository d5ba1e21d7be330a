/**
 * Shared building blocks for the stack-configuration schemas: the problem reporter that
 * cross-field checks use, and zod helpers for values that recur across tiers.
 *
 * Each tier keeps its schema beside its component (`components/<tier>/schema.ts`) and exports:
 * - `schema`: a zod object for its config section (every field defaulted to the production-safe value);
 * - optionally `crossCheck(cfg, report)`: rules that need other sections or the environment.
 * `components/config.ts` composes them; it is the only module that reads Pulumi config.
 */
import { z } from "zod";
import { parseCidr } from "./network/cidr";

/** One problem found in a stack configuration. */
export interface ConfigProblem {
    /** Key path as the user writes it with `pulumi config set --path`, e.g. `network.azs[0]`. */
    path: string;
    /** What was expected and what was found. */
    message: string;
    /** A command or edit that fixes it. */
    fix: string;
}

/** Called by cross-field checks for each problem; `fix` defaults to a `pulumi config set` line. */
export type Report = (path: string, message: string, fix?: string) => void;

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** An IPv4 CIDR in network form (no host bits). */
export const cidrString = z.string().superRefine((value, ctx) => {
    const parsed = parseCidr(value);
    if (typeof parsed === "string") {
        ctx.addIssue({ code: "custom", message: parsed });
    }
});

/** CloudWatch Logs accepts only these retention values (days); 0 would mean "never expire". */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const logRetentionDays = z
    .number()
    .int()
    .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
        message: `expected one of the CloudWatch Logs retention values ${LOG_RETENTION_DAYS.join(", ")}`,
    });

/** An AWS region name such as ap-northeast-1. */
export const regionName = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "expected an AWS region such as ap-northeast-1");

/** A lower-case DNS-safe identifier used in resource names. */
export const slug = z
    .string()
    .min(1)
    .max(24)
    .regex(/^[a-z][a-z0-9-]*[a-z0-9]$/, "expected lower-case letters, digits and dashes, starting with a letter (max 24)");
