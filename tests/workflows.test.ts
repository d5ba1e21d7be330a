/**
 * Static checks of the GitHub Actions workflows in .github/workflows.
 *
 * Every workflow must be valid YAML, use only the documented inputs of the actions it calls, and
 * keep the PR trust boundary: the jobs that run for every pull request (forks included) hold no
 * credentials; the credentialed preview job runs only for branches of this repository.
 *
 * The checker functions are tested against small bad workflows too, so each rule can fail.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseDocument } from "yaml";

const WORKFLOW_DIR = path.join(process.cwd(), ".github", "workflows");

/**
 * Documented inputs per action@major version, copied from each action's action.yml / README.
 * Sources (checked with the repository search tool):
 * - actions/checkout@v4: https://github.com/actions/checkout (README "Usage", action.yml v4)
 * - actions/setup-node@v4: https://github.com/actions/setup-node/blob/main/action.yml
 * - actions/upload-artifact@v4: https://github.com/actions/upload-artifact/blob/v4.1.0/action.yml
 *   (+ overwrite, include-hidden-files added in v4.2 / v4.4)
 * - actions/download-artifact@v4: https://github.com/actions/download-artifact/blob/v4/action.yml
 * - actions/github-script@v7: https://github.com/actions/github-script/blob/main/action.yml
 * - aws-actions/configure-aws-credentials@v4: https://github.com/aws-actions/configure-aws-credentials/blob/main/action.yml
 * - pulumi/actions@v6: https://github.com/pulumi/actions/blob/main/action.yml (node20 runtime)
 *   and README "Configuration" (policyPacks, policyPackConfigs, comment-on-pr, diff, refresh, ...)
 * - pulumi/auth-actions@v2: https://github.com/pulumi/auth-actions/blob/main/action.yml
 */
export const DOCUMENTED_INPUTS: Record<string, readonly string[]> = {
    "actions/checkout@v4": [
        "repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user",
        "persist-credentials", "path", "clean", "filter", "sparse-checkout", "sparse-checkout-cone-mode",
        "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules", "set-safe-directory",
        "github-server-url",
    ],
    "actions/setup-node@v4": [
        "always-auth", "node-version", "node-version-file", "architecture", "check-latest",
        "registry-url", "scope", "token", "cache", "cache-dependency-path", "mirror", "mirror-token",
    ],
    "actions/upload-artifact@v4": [
        "name", "path", "if-no-files-found", "retention-days", "compression-level", "overwrite",
        "include-hidden-files",
    ],
    "actions/download-artifact@v4": [
        "name", "artifact-ids", "path", "pattern", "merge-multiple", "github-token", "repository", "run-id",
    ],
    "actions/github-script@v7": [
        "script", "github-token", "debug", "user-agent", "previews", "result-encoding", "retries",
        "retry-exempt-status-codes", "base-url",
    ],
    "aws-actions/configure-aws-credentials@v4": [
        "audience", "aws-access-key-id", "aws-secret-access-key", "aws-session-token", "aws-region",
        "mask-aws-account-id", "role-to-assume", "web-identity-token-file", "role-duration-seconds",
        "role-session-name", "role-external-id", "role-skip-session-tagging", "inline-session-policy",
        "managed-session-policies", "output-credentials", "unset-current-credentials",
        "disable-retry", "retry-max-attempts", "special-characters-workaround", "use-existing-credentials",
    ],
    "pulumi/actions@v6": [
        "command", "stack-name", "pulumi-version", "pulumi-version-file", "work-dir", "comment-on-pr",
        "comment-on-pr-number", "comment-on-summary", "github-token", "cloud-url", "secrets-provider",
        "parallel", "message", "config-map", "expect-no-changes", "diff", "replace", "target",
        "target-dependents", "policyPacks", "policyPackConfigs", "refresh", "upsert", "remove",
        "edit-pr-comment", "color", "exclude-protected", "plan", "suppress-outputs", "suppress-progress",
        "always-include-summary",
    ],
    "pulumi/auth-actions@v2": [
        "organization", "requested-token-type", "scope", "token-expiration", "export-environment-variables",
        "cloud-url",
    ],
};

/** Required inputs (a step without them would fail at run time). */
const REQUIRED_INPUTS: Record<string, readonly string[]> = {
    "actions/upload-artifact@v4": ["path"],
    "actions/github-script@v7": ["script"],
    "aws-actions/configure-aws-credentials@v4": ["aws-region"],
    "pulumi/auth-actions@v2": ["organization"],
};

/** Scripts the workflows call that colleagues are adding to the root package.json. */
const PENDING_SCRIPTS = ["test:coverage", "policy:preview", "guard:replacements"];

const SAME_REPO_CONDITION = "github.event.pull_request.head.repo.full_name == github.repository";

type Workflow = { file: string; doc: any; text: string };

function loadWorkflows(): Workflow[] {
    return fs
        .readdirSync(WORKFLOW_DIR)
        .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
        .sort()
        .map((file) => {
            const text = fs.readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
            const parsed = parseDocument(text, { prettyErrors: true });
            if (parsed.errors.length > 0) {
                throw new Error(`${file}: invalid YAML: ${parsed.errors.map((e) => e.message).join("; ")}`);
            }
            return { file, doc: parsed.toJS(), text };
        });
}

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; name?: string; env?: Record<string, unknown> };

function stepsOf(job: any): Step[] {
    return Array.isArray(job?.steps) ? job.steps : [];
}

/** Problems with the `with:` inputs of the steps of one job (unknown action, unknown or missing input). */
export function checkActionInputs(where: string, job: any): string[] {
    const problems: string[] = [];
    for (const [i, step] of stepsOf(job).entries()) {
        if (step.uses === undefined) continue;
        const documented = DOCUMENTED_INPUTS[step.uses];
        if (documented === undefined) {
            problems.push(`${where} step ${i}: ${step.uses} is not in DOCUMENTED_INPUTS (pin a documented major version)`);
            continue;
        }
        for (const key of Object.keys(step.with ?? {})) {
            if (!documented.includes(key)) {
                problems.push(`${where} step ${i}: ${step.uses} has no documented input "${key}"`);
            }
        }
        for (const key of REQUIRED_INPUTS[step.uses] ?? []) {
            if ((step.with ?? {})[key] === undefined) {
                problems.push(`${where} step ${i}: ${step.uses} requires input "${key}"`);
            }
        }
    }
    return problems;
}

/** Problems that would give a job that runs for fork PRs access to credentials. */
export function checkCredentialFree(where: string, job: any): string[] {
    const problems: string[] = [];
    const text = JSON.stringify(job);
    const secretRefs = text.match(/secrets\.[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
    for (const ref of secretRefs) problems.push(`${where}: references ${ref}`);
    const perms = job?.permissions;
    if (perms === undefined) problems.push(`${where}: must declare job permissions`);
    if (perms === "write-all" || perms === "read-all") problems.push(`${where}: permissions must be explicit, got ${perms}`);
    if (perms !== null && typeof perms === "object") {
        for (const [scope, level] of Object.entries(perms)) {
            if (level === "write") problems.push(`${where}: permission ${scope}: write`);
        }
    }
    for (const [i, step] of stepsOf(job).entries()) {
        if (step.uses === "aws-actions/configure-aws-credentials@v4") problems.push(`${where} step ${i}: assumes an AWS role`);
        if (step.uses === "pulumi/auth-actions@v2") problems.push(`${where} step ${i}: logs in to Pulumi Cloud`);
        if (step.uses?.startsWith("actions/checkout@") && step.with?.["persist-credentials"] !== false) {
            problems.push(`${where} step ${i}: checkout must set persist-credentials: false`);
        }
    }
    return problems;
}

/** `${{ github.event.* }}` values that an outsider controls must never be interpolated into a shell. */
export function checkScriptInjection(where: string, job: any): string[] {
    const problems: string[] = [];
    const allowed = new Set(["github.event.pull_request.number", "github.event.workflow_run.id"]);
    for (const [i, step] of stepsOf(job).entries()) {
        for (const field of [step.run, (step.with ?? {})["script"]]) {
            if (typeof field !== "string") continue;
            for (const m of field.matchAll(/\$\{\{\s*([^}]*?)\s*\}\}/g)) {
                const expr = m[1];
                if ((expr.includes("github.event.") && !allowed.has(expr)) || expr.startsWith("inputs.")) {
                    problems.push(`${where} step ${i}: interpolates \${{ ${expr} }} into a script; pass it through env instead`);
                }
            }
        }
    }
    return problems;
}

function npmScriptsCalled(text: string): string[] {
    return [...text.matchAll(/npm run ([A-Za-z0-9:_-]+)/g)].map((m) => m[1]);
}

describe("GitHub workflows", () => {
    const workflows = loadWorkflows();
    const byFile = new Map(workflows.map((w) => [w.file, w]));

    it("finds the PR, report, main, release and rollback workflows", () => {
        for (const f of ["pr.yml", "pr-report.yml", "main.yml", "release.yml", "rollback.yml"]) {
            assert.ok(byFile.has(f), `missing .github/workflows/${f}`);
        }
    });

    for (const w of workflows) {
        describe(w.file, () => {
            it("is a workflow with a trigger, jobs and read-only default permissions", () => {
                assert.ok(w.doc.on !== undefined, "no `on:` trigger");
                assert.ok(w.doc.jobs && Object.keys(w.doc.jobs).length > 0, "no jobs");
                assert.deepStrictEqual(w.doc.permissions, { contents: "read" }, "top-level permissions must be { contents: read }");
            });

            it("never uses pull_request_target or static AWS keys", () => {
                assert.ok(!JSON.stringify(w.doc.on).includes("pull_request_target"), "pull_request_target runs fork code with secrets");
                assert.ok(!w.text.includes("aws-access-key-id"), "static AWS keys");
                assert.ok(!w.text.includes("aws-secret-access-key"), "static AWS keys");
            });

            it("uses only documented action inputs", () => {
                const problems = Object.entries(w.doc.jobs).flatMap(([name, job]) => checkActionInputs(`${w.file}:${name}`, job));
                assert.deepStrictEqual(problems, []);
            });

            it("does not interpolate untrusted event data into scripts", () => {
                const problems = Object.entries(w.doc.jobs).flatMap(([name, job]) => checkScriptInjection(`${w.file}:${name}`, job));
                assert.deepStrictEqual(problems, []);
            });

            it("calls only npm scripts that exist (or are pending in the lead's package.json)", () => {
                const pkg = JSON.parse(fs.readFileSync(path.join(process.cwd(), "package.json"), "utf8"));
                const known = new Set([...Object.keys(pkg.scripts ?? {}), ...PENDING_SCRIPTS]);
                const unknown = npmScriptsCalled(w.text).filter((s) => !known.has(s));
                assert.deepStrictEqual(unknown, []);
            });
        });
    }

    describe("pr.yml", () => {
        const pr = () => byFile.get("pr.yml")!.doc;

        it("runs on pull_request into main and release", () => {
            assert.deepStrictEqual(pr().on.pull_request.branches, ["main", "release"]);
        });

        it("credential-free jobs (test, policy-offline) have no secrets, no id-token and no write permission", () => {
            for (const name of ["test", "policy-offline"]) {
                const job = pr().jobs[name];
                assert.ok(job, `missing job ${name}`);
                assert.strictEqual(job.if, undefined, `${name} must run for every PR, forks included`);
                assert.deepStrictEqual(checkCredentialFree(`pr.yml:${name}`, job), []);
            }
        });

        it("test job runs npm ci and the coverage script on Node 20 and uploads the report", () => {
            const steps = stepsOf(pr().jobs.test);
            assert.ok(steps.some((s) => s.uses === "actions/setup-node@v4" && String(s.with?.["node-version"]) === "20"));
            assert.ok(steps.some((s) => s.run?.trim() === "npm ci"));
            assert.ok(steps.some((s) => s.run?.includes("npm run test:coverage")));
            assert.ok(steps.some((s) => s.uses === "actions/upload-artifact@v4"));
        });

        it("offline policy preview covers dev, staging and prod with a JSON report artifact each", () => {
            const job = pr().jobs["policy-offline"];
            assert.deepStrictEqual(job.strategy.matrix.stack, ["dev", "staging", "prod"]);
            const run = stepsOf(job).map((s) => s.run ?? "").join("\n");
            assert.ok(run.includes("npm run policy:preview -- --stack ${{ matrix.stack }} --json reports/policy-${{ matrix.stack }}.json"));
            const upload = stepsOf(job).find((s) => s.uses === "actions/upload-artifact@v4");
            assert.strictEqual(upload?.with?.name, "policy-${{ matrix.stack }}");
        });

        it("credentialed preview job is limited to same-repository PRs and uses OIDC, not keys", () => {
            const job = pr().jobs.preview;
            assert.strictEqual(job.if, SAME_REPO_CONDITION);
            assert.strictEqual(job.permissions["id-token"], "write");
            assert.strictEqual(job.permissions.contents, "read");
            const aws = stepsOf(job).find((s) => s.uses === "aws-actions/configure-aws-credentials@v4");
            assert.ok(aws, "no configure-aws-credentials step");
            assert.match(String(aws!.with?.["role-to-assume"]), /:role\/delivery-\$\{\{ matrix\.stack \}\}-preview$/);
        });

        it("credentialed preview runs pulumi preview with the policy pack per stack, comments, and runs the replacement guard", () => {
            const job = pr().jobs.preview;
            assert.deepStrictEqual(job.strategy.matrix.stack, ["dev", "staging", "prod"]);
            const pulumi = stepsOf(job).find((s) => s.uses === "pulumi/actions@v6");
            assert.ok(pulumi);
            assert.strictEqual(pulumi!.with?.command, "preview");
            assert.strictEqual(pulumi!.with?.policyPacks, "policypack");
            assert.strictEqual(pulumi!.with?.policyPackConfigs, "policypack/config/${{ matrix.stack }}.json");
            assert.strictEqual(pulumi!.with?.["comment-on-pr"], true);
            const guard = stepsOf(job).map((s) => s.run ?? "").join("\n");
            assert.match(guard, /pulumi preview --stack "\$PULUMI_STACK" --json/);
            assert.match(guard, /npm run guard:replacements -- preview-\$\{\{ matrix\.stack \}\}\.json/);
        });
    });

    describe("pr-report.yml", () => {
        it("comments from workflow_run without checking out or running PR code", () => {
            const doc = byFile.get("pr-report.yml")!.doc;
            assert.deepStrictEqual(doc.on.workflow_run.workflows, ["pr"]);
            const job = doc.jobs.comment;
            assert.deepStrictEqual(job.permissions, { actions: "read", "pull-requests": "write" });
            assert.ok(!stepsOf(job).some((s) => s.uses?.startsWith("actions/checkout@")), "must not check out PR code");
            assert.ok(!stepsOf(job).some((s) => s.run !== undefined), "must not run shell steps on artifact content");
            const script = String(stepsOf(job).find((s) => s.uses === "actions/github-script@v7")?.with?.script);
            assert.ok(script.includes("head.sha !== process.env.HEAD_SHA"), "must verify the PR number against the run's head SHA");
            // github-script wraps the script in an async function; it must at least compile.
            const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => unknown;
            assert.doesNotThrow(() => new AsyncFunction("github", "context", "core", "require", script));
        });
    });

    describe("rollback.yml", () => {
        it("runs in the stack's GitHub Environment (required reviewers for prod) with OIDC", () => {
            const job = byFile.get("rollback.yml")!.doc.jobs.rollback;
            assert.strictEqual(job.environment, "${{ inputs.stack }}");
            assert.strictEqual(job.permissions["id-token"], "write");
            assert.ok(stepsOf(job).some((s) => s.uses === "pulumi/actions@v6" && s.with?.command === "up"));
            const slack = stepsOf(job).filter((s) => s.name?.startsWith("Notify Slack"));
            assert.strictEqual(slack.length, 2, "start and result notifications");
            assert.ok(slack.every((s: any) => s["continue-on-error"] === true), "a Slack outage must not block a rollback");
        });
    });

    describe("the checkers themselves", () => {
        it("flag an undocumented input, an unknown action and a missing required input", () => {
            const job = {
                steps: [
                    { uses: "pulumi/actions@v6", with: { command: "preview", "policy-pack": "policypack" } },
                    { uses: "someone/else@v1" },
                    { uses: "aws-actions/configure-aws-credentials@v4", with: { "role-to-assume": "x" } },
                ],
            };
            const problems = checkActionInputs("fixture", job);
            assert.strictEqual(problems.length, 3, problems.join("\n"));
            assert.match(problems[0], /no documented input "policy-pack"/);
            assert.match(problems[1], /not in DOCUMENTED_INPUTS/);
            assert.match(problems[2], /requires input "aws-region"/);
        });

        it("flag secrets, id-token, role assumption and persisted checkout credentials in a credential-free job", () => {
            const job = {
                permissions: { contents: "read", "id-token": "write" },
                env: { TOKEN: "${{ secrets.PULUMI_ACCESS_TOKEN }}" },
                steps: [
                    { uses: "actions/checkout@v4" },
                    { uses: "aws-actions/configure-aws-credentials@v4", with: { "aws-region": "us-east-1" } },
                ],
            };
            const problems = checkCredentialFree("fixture", job);
            assert.ok(problems.some((p) => p.includes("secrets.PULUMI_ACCESS_TOKEN")));
            assert.ok(problems.some((p) => p.includes("id-token: write")));
            assert.ok(problems.some((p) => p.includes("assumes an AWS role")));
            assert.ok(problems.some((p) => p.includes("persist-credentials")));
            assert.deepStrictEqual(checkCredentialFree("fixture", { steps: [] }), ["fixture: must declare job permissions"]);
        });

        it("flag untrusted event data interpolated into a shell", () => {
            const job = { steps: [{ run: 'echo "${{ github.event.pull_request.title }}"' }, { run: "echo ${{ github.event.pull_request.number }}" }] };
            const problems = checkScriptInjection("fixture", job);
            assert.strictEqual(problems.length, 1);
            assert.match(problems[0], /pull_request\.title/);
        });
    });
});
