import { DeploymentsConfig, parseDeploymentsConfig, PlatformStack } from "../src/config";

export const ACCOUNTS: Record<PlatformStack, string> = { dev: "111111111111", staging: "222222222222", prod: "333333333333" };

/** Raw config as in deployments/Pulumi.<stack>.yaml, with overrides. */
export function rawConfig(stack: PlatformStack, overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const base: Record<string, unknown> = {
        pulumiOrg: "acme",
        repository: "acme/aws-platform",
        platformSlug: "ragplatform",
        awsAccountId: ACCOUNTS[stack],
        region: "ap-northeast-1",
        drRegion: "us-west-2",
    };
    if (stack !== "dev") base["driftScheduleCron"] = "0 */6 * * *";
    if (stack === "prod") {
        base["branch"] = "release";
        base["escEnvironment"] = "platform/prod";
        base["approvers"] = ["platform-leads"];
        base["createPulumiOidcIssuer"] = true;
    }
    return { ...base, ...overrides };
}

export function configFor(stack: PlatformStack, overrides: Record<string, unknown> = {}): DeploymentsConfig {
    return parseDeploymentsConfig(stack, rawConfig(stack, overrides), "https://hooks.slack.com/services/T000/B000/XXXX");
}
