/**
 * The cost estimate of every stack file, over the real program run under mocks: every custom
 * resource is accounted for exactly once (priced, free or not priced), totals add up, and the
 * report's JSON survives a round trip.
 */
import * as assert from "assert";
import { estimateCost, toCostJson } from "../cost";
import { STACKS, stackRun } from "./harness";

describe("cost estimate of each stack", () => {
    for (const stack of STACKS) {
        describe(stack, () => {
            it("accounts for every custom resource exactly once and adds up", async () => {
                const run = await stackRun(stack);
                const report = estimateCost(run);
                const custom = run.resources.filter((r) => r.custom).length;
                const priced = report.lines.filter((l) => l.urn !== "").length;
                const free = report.free.reduce((t, f) => t + f.count, 0);
                assert.strictEqual(priced + free + report.notPriced.length, custom, "priced + free + not priced = custom resources");
                const byComponent = report.byComponent.reduce((t, g) => t + g.monthlyUsd, 0);
                assert.ok(Math.abs(byComponent - report.totalMonthlyUsd) < 1e-6, "components add up to the total");
                assert.ok(report.totalMonthlyUsd > 0, "a stack costs something");
                assert.strictEqual(report.mainRegion, "ap-northeast-1");
                const json = JSON.parse(JSON.stringify(toCostJson(report)));
                assert.strictEqual(json.stack, stack);
            });
        });
    }

    it("prod costs more than dev (one NAT per AZ, interface endpoints)", async () => {
        const [dev, prod] = await Promise.all([stackRun("dev"), stackRun("prod")]);
        assert.ok(estimateCost(prod).totalMonthlyUsd > estimateCost(dev).totalMonthlyUsd);
    });
});
