/**
 * The first-deploy policy configs (policypack/config/<stack>.first-deploy.json): generated from the
 * base configs by offline/first-deploy-configs.ts, never edited by hand. A committed file that
 * differs from what the script writes fails here, so the two can never drift apart.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { resolvePolicyConfig } from "../offline/analyze";
import {
    baseConfigStacks,
    CONFIG_DIR,
    DEFERRABLE_POLICIES,
    firstDeployConfig,
    firstDeployConfigPath,
    firstDeployConfigText,
    main,
    staleFirstDeployConfigs,
} from "../offline/first-deploy-configs";
import { policies } from "../policies";
import { UNKNOWN_AT_PREVIEW_POLICIES } from "./cases/unknown-at-preview";

const read = (p: string) => JSON.parse(fs.readFileSync(p, "utf8")) as Record<string, unknown>;

describe("first-deploy policy configs", () => {
    it("there is a base config and a committed first-deploy config for dev, staging and prod", () => {
        assert.deepStrictEqual(baseConfigStacks(), ["dev", "prod", "staging"]);
        for (const s of baseConfigStacks()) assert.ok(fs.existsSync(firstDeployConfigPath(s)), `${firstDeployConfigPath(s)} is missing: npm run policy:first-deploy-configs`);
    });

    it("every committed first-deploy config is exactly what npm run policy:first-deploy-configs writes", () => {
        for (const s of baseConfigStacks()) {
            assert.strictEqual(fs.readFileSync(firstDeployConfigPath(s), "utf8"), firstDeployConfigText(s), `${s}.first-deploy.json is stale: npm run policy:first-deploy-configs`);
        }
        assert.deepStrictEqual(staleFirstDeployConfigs(), []);
    });

    it("the drift check can fail: an edited base config, an edited or a missing first-deploy file", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "first-deploy-"));
        try {
            for (const s of ["dev", "prod"]) fs.copyFileSync(path.join(CONFIG_DIR, `${s}.json`), path.join(dir, `${s}.json`));
            for (const s of ["dev", "prod"]) fs.writeFileSync(firstDeployConfigPath(s, dir), firstDeployConfigText(s, dir));
            assert.deepStrictEqual(staleFirstDeployConfigs(dir), []);
            // The base config changes (a relaxed level) and nobody regenerates: stale.
            fs.writeFileSync(path.join(dir, "dev.json"), JSON.stringify({ ...read(path.join(dir, "dev.json")), "dynamodb-pitr": "disabled" }, null, 2) + "\n");
            // Somebody relaxes one more policy by hand in a first-deploy file: stale.
            fs.writeFileSync(firstDeployConfigPath("prod", dir), JSON.stringify({ ...read(firstDeployConfigPath("prod", dir)), "iam-managed-policy-allowlist": "advisory" }, null, 2) + "\n");
            assert.deepStrictEqual(staleFirstDeployConfigs(dir), ["dev", "prod"]);
            fs.unlinkSync(firstDeployConfigPath("prod", dir));
            assert.deepStrictEqual(staleFirstDeployConfigs(dir), ["dev", "prod"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("defers exactly the policies that fail closed", () => {
        assert.deepStrictEqual([...DEFERRABLE_POLICIES].sort(), [...UNKNOWN_AT_PREVIEW_POLICIES].sort());
    });

    it("each first-deploy config resolves to its base config with unknownAtPreview \"defer\" on those policies, and nothing else changed", () => {
        for (const s of baseConfigStacks()) {
            const base = resolvePolicyConfig(policies, read(path.join(CONFIG_DIR, `${s}.json`)));
            const first = resolvePolicyConfig(policies, read(firstDeployConfigPath(s)));
            for (const p of policies) {
                const b = base.get(p.name)!;
                const f = first.get(p.name)!;
                if (DEFERRABLE_POLICIES.includes(p.name)) {
                    assert.strictEqual(b.properties["unknownAtPreview"], "fail", `${s} ${p.name}: base`);
                    assert.deepStrictEqual(f, { level: b.level, properties: { ...b.properties, unknownAtPreview: "defer" } }, `${s} ${p.name}`);
                } else {
                    assert.deepStrictEqual(f, b, `${s} ${p.name}`);
                }
            }
        }
    });

    it("firstDeployConfig keeps levels, other keys, 'all' and key order; adds missing entries", () => {
        const out = firstDeployConfig({
            all: "advisory",
            "iam-no-wildcard-resources": { additionalAllowedActions: ["ssm:DescribeParameters"] },
            "iam-trust-policy-principals": "advisory",
            "dynamodb-pitr": "disabled",
        });
        assert.deepStrictEqual(Object.keys(out).slice(0, 4), ["all", "iam-no-wildcard-resources", "iam-trust-policy-principals", "dynamodb-pitr"]);
        assert.strictEqual(out["all"], "advisory");
        assert.strictEqual(out["dynamodb-pitr"], "disabled");
        assert.deepStrictEqual(out["iam-no-wildcard-resources"], { additionalAllowedActions: ["ssm:DescribeParameters"], unknownAtPreview: "defer" });
        assert.deepStrictEqual(out["iam-trust-policy-principals"], { enforcementLevel: "advisory", unknownAtPreview: "defer" });
        for (const p of DEFERRABLE_POLICIES) assert.strictEqual((out[p] as Record<string, unknown>)["unknownAtPreview"], "defer", p);
        assert.throws(() => firstDeployConfig({ "s3-bucket-tls-only": 3 }), /neither a level nor an object/);
    });

    it("the script's --check exits 0 on the committed files and 2 on a bad argument", () => {
        const log = console.log;
        const error = console.error;
        console.log = () => undefined;
        console.error = () => undefined;
        try {
            assert.strictEqual(main(["--check"]), 0);
            assert.strictEqual(main(["--bogus"]), 2);
        } finally {
            console.log = log;
            console.error = error;
        }
    });
});
