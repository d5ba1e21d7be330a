/**
 * Every policy, with at least one compliant and one violating fixture, run through the real
 * analyzer service path (see offline/analyze.ts), plus the pack's metadata rules.
 */
import * as assert from "assert";
import { policies, policiesByConcern } from "../policies";
import { PolicyCase, runCases } from "./harness";
import { dataProtectionCases } from "./cases/data-protection";
import { encryptionCases } from "./cases/encryption";
import { firstPreviewCases } from "./cases/first-preview";
import { iamCases } from "./cases/iam";
import { loggingCases } from "./cases/logging";
import { networkCases } from "./cases/network";
import { resilienceCases } from "./cases/resilience";
import { taggingCases } from "./cases/tagging";
import { UNKNOWN_AT_PREVIEW_POLICIES, unknownAtPreviewCases } from "./cases/unknown-at-preview";

const tables: Record<string, PolicyCase[]> = {
    encryption: encryptionCases,
    tagging: taggingCases,
    iam: iamCases,
    network: networkCases,
    logging: loggingCases,
    resilience: resilienceCases,
    "data-protection": dataProtectionCases,
    "first preview (ids unknown, property dependencies)": firstPreviewCases,
    "unknownAtPreview (fail closed | defer to the framework)": unknownAtPreviewCases,
};

describe("policy pack: policies", () => {
    for (const [concern, cases] of Object.entries(tables)) {
        describe(concern, () => runCases(cases));
    }
});

describe("policy pack: metadata", () => {
    const all = Object.values(tables).flat();

    it("has at least 35 policies with unique kebab-case names", () => {
        assert.ok(policies.length >= 35, `only ${policies.length} policies`);
        const names = policies.map((p) => p.name);
        assert.strictEqual(new Set(names).size, names.length, "duplicate policy names");
        for (const n of names) assert.match(n, /^[a-z0-9]+(-[a-z0-9]+)*$/, n);
    });

    it("every policy says why, how to fix, and has an enforcement level", () => {
        for (const p of policies) {
            assert.ok(p.description.length > 60, `${p.name}: description too short to say why`);
            assert.ok((p.remediationSteps ?? "").length > 20, `${p.name}: no remediationSteps`);
            assert.ok(["advisory", "mandatory"].includes(p.enforcementLevel ?? ""), `${p.name}: enforcementLevel`);
        }
    });

    it("encryption, tagging and IAM policies are mandatory by default", () => {
        for (const concern of ["encryption", "tagging", "iam"] as const) {
            for (const p of policiesByConcern[concern]) assert.strictEqual(p.enforcementLevel, "mandatory", p.name);
        }
    });

    it("every policy has a compliant and a violating fixture", () => {
        for (const p of policies) {
            const mine = all.filter((c) => c.policy === p.name);
            assert.ok(mine.some((c) => c.violates), `${p.name}: no violating fixture`);
            assert.ok(mine.some((c) => !c.violates), `${p.name}: no compliant fixture`);
        }
        const unknown = all.filter((c) => !policies.some((p) => p.name === c.policy)).map((c) => c.policy);
        assert.deepStrictEqual(unknown, [], "cases for policies that do not exist");
    });

    it("exactly the policies that fail closed declare unknownAtPreview: a string, \"fail\" | \"defer\", default \"fail\"", () => {
        const declaring = policies.filter((p) => p.configSchema?.properties?.["unknownAtPreview"] !== undefined).map((p) => p.name);
        assert.deepStrictEqual(declaring.sort(), [...UNKNOWN_AT_PREVIEW_POLICIES].sort());
        for (const name of declaring) {
            const s = policies.find((p) => p.name === name)!.configSchema!.properties["unknownAtPreview"];
            assert.deepStrictEqual({ type: s.type, enum: s.enum, default: s.default }, { type: "string", enum: ["fail", "defer"], default: "fail" }, name);
            assert.ok(typeof s.description === "string" && s.description.includes("first deployment"), `${name}: description`);
        }
    });

    it("configSchema never declares enforcementLevel (reserved by the engine)", () => {
        for (const p of policies) assert.ok(!p.configSchema?.properties?.["enforcementLevel"], p.name);
    });

    it("stack policies and resource policies are both present", () => {
        assert.ok(policies.some((p) => "validateStack" in p));
        assert.ok(policies.some((p) => "validateResource" in p));
    });
});
