import { strict as assert } from "assert";
import { ofType, runStack, stackRun, STACKS } from "./harness";

describe("platform: permissions boundary on every role", () => {
    for (const stack of STACKS) {
        it(`${stack}: every IAM role carries delivery-${stack}-boundary (the deploy role of deployments/ requires it)`, async () => {
            const run = await stackRun(stack);
            const roles = ofType(run, "aws:iam/role:Role");
            assert.ok(roles.length > 0);
            const missing = roles.filter((r) => r.inputs.permissionsBoundary !== `arn:aws:iam::123456789012:policy/delivery-${stack}-boundary`);
            assert.deepEqual(missing.map((r) => r.name), []);
        });
    }

    it("without the key, roles have no boundary", async () => {
        const run = await runStack("prod", { configOverrides: { "platform:permissionsBoundary": null } });
        const roles = ofType(run, "aws:iam/role:Role");
        assert.ok(roles.length > 0);
        assert.deepEqual(roles.filter((r) => r.inputs.permissionsBoundary !== undefined).map((r) => r.name), []);
    });

    it("rejects a boundary that is not a policy name", async () => {
        const err = await runStack("dev", { configOverrides: { "platform:permissionsBoundary": "arn:aws:iam::1:policy/x y" } }).then(
            () => assert.fail("expected a config error"),
            (e: Error) => e,
        );
        assert.match(err.message, /platform:permissionsBoundary: expected an IAM policy name such as delivery-prod-boundary/);
    });
});
