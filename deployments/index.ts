/**
 * Entry point of the deployments project: one stack per platform stack (dev, staging, prod).
 * Run with admin credentials of that stack's AWS account and a Pulumi token with org admin:
 *   cd deployments && pulumi up -s prod
 * See deployments/README.md.
 */
import { loadDeploymentsConfig } from "./src/config";
import { createDeployments } from "./src/program";

const outputs = createDeployments(loadDeploymentsConfig());

export const previewRoleArn = outputs.previewRoleArn;
export const deployRoleArn = outputs.deployRoleArn;
export const boundaryPolicyArn = outputs.boundaryPolicyArn;
export const githubOidcProviderArn = outputs.githubOidcProviderArn;
export const pulumiOidcProviderArn = outputs.pulumiOidcProviderArn;
export const deploymentSettingsId = outputs.deploymentSettingsId;
export const branch = outputs.branch;
export const deployCommits = outputs.deployCommits;
