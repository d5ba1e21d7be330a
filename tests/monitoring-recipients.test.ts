import { strict as assert } from "assert";
import { recipientWarnings, reservedMailDomain } from "../components/monitoring/recipients";
import { runStack } from "./harness";

describe("monitoring/recipients: reserved mail domains", () => {
    const cases: Array<[string, string | undefined]> = [
        ["platform-alerts@example.com", "example.com"],
        ["ops@EXAMPLE.org", "example.org"],
        ["ops@mail.example.net", "example.net"],
        ["ops@corp.example", ".example"],
        ["ops@ci.test", ".test"],
        ["ops@nowhere.invalid", ".invalid"],
        ["root@localhost", ".localhost"],
        ["ops@example.com.", "example.com"],
        ["ops@acme.co.jp", undefined],
        ["ops@example-corp.com", undefined],
        ["ops@myexample.com", undefined],
        ["ops@example.com.au", undefined],
        ["test@acme.io", undefined],
    ];
    for (const [email, expected] of cases) {
        it(`${email} -> ${expected ?? "deliverable"}`, () => assert.equal(reservedMailDomain(email), expected));
    }
});

describe("monitoring/recipients: warnings", () => {
    const base = { environment: "prod", notificationEmails: ["oncall@acme.co.jp"], budgetEmails: [] as string[], slack: false };
    const cases: Array<{ name: string; settings: typeof base; expected: RegExp[] }> = [
        { name: "prod with a real list: nothing", settings: base, expected: [] },
        {
            name: "prod with only a placeholder: the address and 'reach nobody'",
            settings: { ...base, notificationEmails: ["platform-alerts@example.com"] },
            expected: [/^monitoring\.notifications\.emails\[0\]: platform-alerts@example\.com is at example\.com, a reserved domain .*fix: pulumi config set --path 'monitoring\.notifications\.emails\[0\]'/, /^monitoring: prod alarms reach nobody/],
        },
        { name: "prod with no recipient at all", settings: { ...base, notificationEmails: [] }, expected: [/^monitoring: prod alarms reach nobody/] },
        { name: "prod with only Slack", settings: { ...base, notificationEmails: [], slack: true }, expected: [] },
        {
            name: "prod with a placeholder beside a real address: only the address",
            settings: { ...base, notificationEmails: ["oncall@acme.co.jp", "x@example.org"] },
            expected: [/^monitoring\.notifications\.emails\[1\]: x@example\.org/],
        },
        {
            name: "a placeholder budget recipient is named by its own key",
            settings: { ...base, budgetEmails: ["finance@example.com"] },
            expected: [/^monitoring\.budget\.emails\[0\]: finance@example\.com/],
        },
        { name: "dev without recipients: nothing (AC-OPS-2 is for prod)", settings: { ...base, environment: "dev", notificationEmails: [] }, expected: [] },
        { name: "staging placeholder: the address only", settings: { ...base, environment: "staging", notificationEmails: ["a@example.com"] }, expected: [/^monitoring\.notifications\.emails\[0\]: a@example\.com/] },
    ];
    for (const c of cases) {
        it(c.name, () => {
            const got = recipientWarnings(c.settings);
            assert.equal(got.length, c.expected.length, got.join("\n"));
            c.expected.forEach((re, i) => assert.match(got[i], re));
        });
    }
});

describe("monitoring/recipients: the stack files", () => {
    /** Runs a stack and returns the program's warnings (pulumi.log.warn prints them under mocks). */
    async function warningsOf(stack: string, configOverrides?: Record<string, unknown>): Promise<string[]> {
        const seen: string[] = [];
        const original = console.warn;
        console.warn = (...args: unknown[]) => void seen.push(args.map(String).join(" "));
        try {
            await runStack(stack, { configOverrides });
        } finally {
            console.warn = original;
        }
        return seen;
    }

    it("prod as committed warns that its placeholder alarm address reaches nobody", async () => {
        const warnings = await warningsOf("prod");
        assert.ok(warnings.some((w) => /monitoring\.notifications\.emails\[0\]: platform-alerts@example\.com is at example\.com/.test(w)), warnings.join("\n"));
        assert.ok(warnings.some((w) => /prod alarms reach nobody/.test(w)), warnings.join("\n"));
    });

    it("prod with a real distribution list has no recipient warning", async () => {
        const warnings = await warningsOf("prod", { "platform:monitoring": { notifications: { emails: ["oncall@acme.co.jp"] } } });
        assert.deepEqual(warnings.filter((w) => /monitoring\.(notifications|budget)\.emails|reach nobody/.test(w)), []);
    });
});
