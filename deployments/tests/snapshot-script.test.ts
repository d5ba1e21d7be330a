/**
 * deployments/scripts/pre-deploy-snapshot.sh with fake `pulumi` and `aws` binaries on PATH:
 * it snapshots only before an `update`, names the snapshot inside the deploy role's grant
 * (`predeploy-<prefix>-*`), waits for it, and skips cleanly on a first deploy.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { deployPolicies } from "../src/iam";

const SCRIPT = path.join(process.cwd(), "deployments", "scripts", "pre-deploy-snapshot.sh");

function token(claims: Record<string, string>): string {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return `${b64({ alg: "RS256" })}.${b64(claims)}.signature`;
}

function runScript(operation: string, opts: { clusterOutput?: string } = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "predeploy-"));
    const calls = path.join(dir, "aws-calls.txt");
    fs.writeFileSync(
        path.join(dir, "pulumi"),
        opts.clusterOutput === undefined
            ? "#!/usr/bin/env bash\necho 'error: current stack has no output' >&2\nexit 255\n"
            : `#!/usr/bin/env bash\n[ "$1 $2" = "stack output" ] || exit 3\necho "${opts.clusterOutput}"\n`,
        { mode: 0o755 },
    );
    fs.writeFileSync(path.join(dir, "aws"), `#!/usr/bin/env bash\necho "$*" >> "${calls}"\n`, { mode: 0o755 });
    const result = spawnSync("bash", [SCRIPT], {
        encoding: "utf8",
        env: {
            PATH: `${dir}:${process.env.PATH}`,
            PULUMI_OIDC_TOKEN: token({ operation, sub: `pulumi:deploy:org:acme:project:platform:stack:prod:operation:${operation}:scope:write` }),
            PLATFORM_STACK: "prod",
            PLATFORM_PROJECT: "platform",
            PLATFORM_NAME_PREFIX: "ragplatform-prod",
            PULUMI_ORG: "acme",
            AWS_REGION: "ap-northeast-1",
        },
    });
    const awsCalls = fs.existsSync(calls) ? fs.readFileSync(calls, "utf8").trim().split("\n") : [];
    fs.rmSync(dir, { recursive: true, force: true });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, awsCalls };
}

describe("deployments: pre-deploy snapshot script", () => {
    for (const operation of ["preview", "refresh", "destroy"]) {
        it(`does nothing for a ${operation}`, () => {
            const r = runScript(operation, { clusterOutput: "ragplatform-prod-db-abc" });
            assert.strictEqual(r.status, 0, r.stderr);
            assert.match(r.stdout, new RegExp(`operation '${operation}', no snapshot needed`));
            assert.deepStrictEqual(r.awsCalls, []);
        });
    }

    it("snapshots the cluster before an update and waits until it is available", () => {
        const r = runScript("update", { clusterOutput: "ragplatform-prod-db-abc" });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.strictEqual(r.awsCalls.length, 2, r.awsCalls.join("\n"));
        const [create, wait] = r.awsCalls;
        assert.match(create, /^rds create-db-cluster-snapshot --db-cluster-identifier ragplatform-prod-db-abc --db-cluster-snapshot-identifier predeploy-ragplatform-prod-\d{8}-\d{6} /);
        assert.match(create, /--region ap-northeast-1$/);
        const id = /--db-cluster-snapshot-identifier (\S+)/.exec(create)![1];
        assert.ok(id.length <= 255 && /^[a-z][a-z0-9-]*$/.test(id), `valid RDS snapshot identifier: ${id}`);
        assert.strictEqual(wait, `rds wait db-cluster-snapshot-available --db-cluster-snapshot-identifier ${id} --region ap-northeast-1`);
        // The deploy role may create exactly this snapshot.
        const policies = deployPolicies({
            accountId: "333333333333", region: "ap-northeast-1", drRegion: "us-west-2", prefix: "ragplatform-prod",
            stackTagKey: "Environment", stack: "prod", boundaryPolicyArn: "arn:aws:iam::333333333333:policy/delivery-prod-boundary",
            protectedRoleArns: [],
        });
        const arn = `arn:aws:rds:ap-northeast-1:333333333333:cluster-snapshot:${id}`;
        const glob = (pattern: string) => new RegExp(`^${pattern.split("*").map((x) => x.replace(/[.?+^$()[\]{}|\\]/g, "\\$&")).join(".*")}$`);
        const granted = Object.values(policies).some((doc) => doc.Statement.some((st) =>
            st.Action.includes("rds:CreateDBClusterSnapshot") && st.Resource.some((r) => glob(r).test(arn))));
        assert.ok(granted, `no deploy grant allows rds:CreateDBClusterSnapshot on ${arn}`);
    });

    it("skips (first deploy) when the stack has no cluster output yet", () => {
        const r = runScript("update");
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /not found \(first deploy\?\), skipping/);
        assert.deepStrictEqual(r.awsCalls, []);
    });
});
