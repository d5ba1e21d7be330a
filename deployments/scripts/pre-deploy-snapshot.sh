#!/usr/bin/env bash
# Pre-deploy Aurora snapshot (seed 002 §2.2 "create a backup before deploying").
# Run by Pulumi Deployments as a pre-run command of the prod stack (deployments/src/settings.ts).
# Snapshots only before an `update`: previews, refreshes and drift runs skip it. The operation
# comes from the `operation` claim of the Deployments OIDC token ($PULUMI_OIDC_TOKEN or
# /mnt/pulumi/pulumi.oidc, see https://www.pulumi.com/docs/pulumi-cloud/deployments/oidc/).
# AWS credentials are the deploy role's (Deployments OIDC); it may create snapshots named
# predeploy-<slug>-<stack>-* and nothing else in RDS snapshots.
set -euo pipefail

op="$(node -e '
  const fs = require("fs");
  const t = process.env.PULUMI_OIDC_TOKEN || fs.readFileSync("/mnt/pulumi/pulumi.oidc", "utf8");
  const claims = JSON.parse(Buffer.from(t.split(".")[1], "base64url").toString("utf8"));
  process.stdout.write(String(claims.operation || ""));
' 2>/dev/null || true)"
if [ "$op" != "update" ]; then
  echo "pre-deploy snapshot: operation '${op:-unknown}', no snapshot needed"
  exit 0
fi

stack="${PLATFORM_STACK:?PLATFORM_STACK is set by the deployment settings}"
fq_stack="${PULUMI_ORG:?}/${PLATFORM_PROJECT:?}/${stack}"
output="${AURORA_CLUSTER_OUTPUT:-auroraClusterIdentifier}"

if ! cluster="$(pulumi stack output "$output" --stack "$fq_stack" 2>/dev/null)" || [ -z "$cluster" ]; then
  echo "pre-deploy snapshot: stack output '$output' not found (first deploy?), skipping"
  exit 0
fi

snapshot="predeploy-${PLATFORM_NAME_PREFIX:?}-$(date -u +%Y%m%d-%H%M%S)"
echo "pre-deploy snapshot: ${cluster} -> ${snapshot}"
aws rds create-db-cluster-snapshot \
  --db-cluster-identifier "$cluster" \
  --db-cluster-snapshot-identifier "$snapshot" \
  --tags "Key=Environment,Value=${stack}" "Key=Purpose,Value=pre-deploy" \
  --region "${AWS_REGION:?}"
# Aurora snapshots are incremental; this usually takes a few minutes. The waiter gives up after
# 60 polls x 30 s, which fails the deployment before `pulumi up` starts: deploy only with a backup.
aws rds wait db-cluster-snapshot-available --db-cluster-snapshot-identifier "$snapshot" --region "$AWS_REGION"
echo "pre-deploy snapshot: ${snapshot} available"
