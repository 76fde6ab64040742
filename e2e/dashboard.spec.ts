/**
 * The dashboard end to end, as an admin would use it: sign in, create a gateway key, send traffic
 * with the official OpenAI SDK (tags, conversation ids), watch the analytics change, filter by a
 * tag combination, read a conversation, add a provider key (and prove only ciphertext is stored),
 * revoke the key and see the API refuse it at once.
 */
import { expect, test, type Page } from "@playwright/test";
import { writeFileSync } from "node:fs";
import path from "node:path";
import OpenAI from "openai";
import { admin, env, gatewayClient, navigate, signIn, snap, sql, waitForLedger } from "./support/harness";
import { seedHistory } from "./support/seed-history";

test.describe.configure({ mode: "serial" });

let page: Page;
let gatewayKey = "";
const providerPlaintext = `sk-sim-e2e-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

test.beforeAll(async ({ browser }) => {
  page = await browser.newPage();
});

test.afterAll(async () => {
  await page.close();
});

test("signs in as the bootstrap admin; /setup is gone once a user exists", async () => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  await snap(page, "sign-in");
  await page.getByLabel("Email").fill(admin().email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password" })).toBeVisible();
  await signIn(page, admin().email, admin().password);
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByText("No requests in this range")).toBeVisible();
  await expect(page.getByTestId("stat-Requests")).toHaveText("0");

  const setup = await page.request.get("/setup");
  expect(setup.status()).toBe(404);
});

test("turns payload logging on in settings", async () => {
  await navigate(page, "Settings");
  const toggle = page.getByRole("switch", { name: "Payload logging" });
  await expect(toggle).not.toBeChecked();
  await toggle.check();
  await page.getByLabel("Ledger retention (days)").fill("90");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Settings saved.")).toBeVisible();
  expect(await sql("SELECT key, value FROM settings ORDER BY key")).toEqual([
    { key: "payloadLogging", value: true },
    { key: "retentionDays", value: 90 },
  ]);
  await snap(page, "settings");
});

test("creates a gateway key, shown once with a copy button and its role", async () => {
  await navigate(page, "Keys");
  await page.getByRole("button", { name: "Create key" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("e2e-app");
  await dialog.getByLabel("Role").selectOption("execute");
  await dialog.getByRole("button", { name: "Create key" }).click();
  gatewayKey = (await dialog.getByTestId("new-key").textContent())!.trim();
  expect(gatewayKey).toMatch(/^sy_/);
  await expect(dialog.getByRole("button", { name: "Copy" })).toBeVisible();
  await expect(dialog.getByText("execute", { exact: true })).toBeVisible();
  await dialog.getByRole("button", { name: "Done" }).click();
  const row = page.getByTestId("gateway-key-e2e-app");
  await expect(row).toContainText("execute");
  await expect(row).toContainText("never");
  await expect(page.getByText(gatewayKey)).toHaveCount(0); // shown once
});

test("traffic through the gateway with the official openai client shows up in cards and charts", async () => {
  const review = gatewayClient(gatewayKey, { "x-tags": "feature:code-review, team:ml", "x-conversation-id": "conv-e2e-review" });
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: "system", content: "You review code." }];
  for (const question of ["Review function add(a, b)", "And the tests?", "Summarise the review"]) {
    messages.push({ role: "user", content: question });
    const res = await review.chat.completions.create({ model: "claude-sonnet-4-6", messages });
    messages.push({ role: "assistant", content: res.choices[0]!.message.content ?? "" });
  }
  const web = gatewayClient(gatewayKey, { "x-tags": "feature:code-review,team:web" });
  for (let i = 0; i < 2; i++) await web.chat.completions.create({ model: "gemini-2.5-flash", messages: [{ role: "user", content: `Review page ${i}` }] });
  const search = gatewayClient(gatewayKey, { "x-tags": "feature:search,team:ml" });
  await search.chat.completions.create({ model: "grok-3-mini", messages: [{ role: "user", content: "Find docs" }] });
  const stream = await search.chat.completions.create({ model: "grok-3-mini", messages: [{ role: "user", content: "Find more docs" }], stream: true, stream_options: { include_usage: true } });
  for await (const chunk of stream) void chunk;
  // OpenAI has no key configured yet: this one fails and counts as an error.
  await expect(gatewayClient(gatewayKey).chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi" }] })).rejects.toThrow();
  await waitForLedger(8);

  await navigate(page, "Overview");
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByTestId("stat-Requests")).toHaveText("8");
  await expect(page.getByTestId("stat-Cost")).not.toHaveText("$0.00");
  await expect(page.getByTestId("stat-Error rate")).toHaveText("12.5%");
  const charts = page.getByTestId("trend-charts");
  await expect(charts.locator(".recharts-area-area").first()).toBeVisible();
  // Tooltips: hovering the requests chart shows a formatted bucket.
  const box = (await charts.locator(".recharts-surface").first().boundingBox())!;
  await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
  await expect(page.locator(".recharts-tooltip-wrapper").first()).toContainText("Requests");
  await page.getByRole("button", { name: "Daily", exact: true }).click();
  await expect(page).toHaveURL(/bucket=day/);
  await expect(page.getByText(/Daily buckets/)).toBeVisible();
  await page.getByRole("button", { name: "Auto", exact: true }).click();
  await snap(page, "overview");
});

test("models and providers: sortable tables and charts", async () => {
  await navigate(page, "Models");
  const table = page.getByRole("region", { name: "Models table" });
  await expect(table.getByRole("row")).toHaveCount(5); // header + 4 models
  await table.getByRole("button", { name: "Requests" }).click();
  await expect(page).toHaveURL(/sort=requests/);
  await expect(table.getByRole("row").nth(1)).toContainText("claude-sonnet-4-6");
  await page.getByRole("group", { name: "Chart metric" }).getByRole("button", { name: "Avg latency" }).click();
  await expect(page.getByRole("heading", { name: "Avg latency by model" })).toBeVisible();
  await snap(page, "models");
  await navigate(page, "Providers");
  await expect(page.getByRole("region", { name: "Providers table" })).toContainText("anthropic");
  await snap(page, "providers");
});

test("answers 'cost of feature:code-review this month' in two clicks, then narrows by team", async () => {
  await navigate(page, "Tags");
  await page.getByRole("button", { name: "This month", exact: true }).click(); // click 1
  await page.getByTestId("tag-group-feature").getByRole("button", { name: "feature:code-review" }).click(); // click 2
  await expect(page).toHaveURL(/range=month/);
  await expect(page).toHaveURL(/tag=feature%3Acode-review/);
  const summary = page.getByTestId("tag-selection-summary");
  await expect(summary).toContainText("5 requests");
  const [sum] = await sql<{ nano: string }>("SELECT sum(cost_nano_usd)::text AS nano FROM request_log WHERE tags @> ARRAY['feature:code-review']");
  const nano = sum!.nano;
  const expected = Number(BigInt(nano)) / 1e9;
  const shown = Number((await page.getByTestId("selection-cost").textContent())!.replace(/[$,<]/g, ""));
  expect(shown).toBeCloseTo(expected, expected < 1 ? 4 : 2);

  // A combination: add team:ml from the filter bar's tag picker.
  await page.getByRole("button", { name: /^Tags/ }).click();
  await page.getByRole("group", { name: "Filter by tags" }).getByLabel("team:ml").click();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/tag=feature%3Acode-review&tag=team%3Aml/);
  await expect(summary).toContainText("3 requests");
  await snap(page, "tags");

  // The same filter follows to the overview through the navigation.
  await navigate(page, "Overview");
  await expect(page).toHaveURL(/tag=feature%3Acode-review&tag=team%3Aml/);
  await expect(page.getByTestId("stat-Requests")).toHaveText("3");
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByTestId("stat-Requests")).toHaveText("8");
});

test("opens the conversation and reads each turn with its messages", async () => {
  await navigate(page, "Conversations");
  const list = page.getByRole("region", { name: "Conversations" });
  await expect(list.getByRole("row")).toHaveCount(2);
  await snap(page, "conversations");
  await list.getByRole("link", { name: "conv-e2e-review" }).click();
  const turns = page.getByTestId("conversation-turns").locator(":scope > li");
  await expect(turns).toHaveCount(3);
  await expect(turns.nth(0)).toContainText("You review code.");
  await expect(turns.nth(0)).toContainText("Review function add(a, b)");
  await expect(turns.nth(1)).toContainText("And the tests?");
  await expect(turns.nth(1)).not.toContainText("Review function add(a, b)"); // only what the turn added
  await expect(turns.nth(2)).toContainText("claude-sonnet-4-6");
  await snap(page, "conversation");
});

test("requests: filter, detail with all columns, CSV export of the current filter", async () => {
  await navigate(page, "Requests");
  const table = page.getByRole("region", { name: "Requests" });
  await expect(table.getByRole("row")).toHaveCount(9);
  await snap(page, "requests");
  await page.getByRole("button", { name: "Error", exact: true }).click();
  await expect(table.getByRole("row")).toHaveCount(2);
  const csvHref = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  const csv = await page.request.get(csvHref!);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\n");
  expect(lines[0]).toContain("cost_usd");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain("gpt-4.1-nano");
  await table.getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Request");
  await expect(page.getByTestId("request-error-message")).not.toBeEmpty();
  await expect(page.getByText("BYOK", { exact: true })).toBeVisible();
  await expect(page.getByText("Request body")).toBeVisible();
  await snap(page, "request-detail");
  // Signed out, the export refuses.
  const anonymous = await page.context().browser()!.newContext({ baseURL: env("E2E_BASE_URL") });
  expect((await anonymous.request.get(csvHref!)).status()).toBe(401);
  await anonymous.close();
});

test("adds a provider key after a live check; the database holds no plaintext of it", async () => {
  await navigate(page, "Keys");
  await expect(page.getByTestId("provider-status-openai")).toContainText("Not configured");
  await page.getByRole("button", { name: "Add provider key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Provider").selectOption("openai");
  await dialog.getByLabel("Name").fill("e2e-openai");
  await dialog.getByLabel("API key").fill("not-an-openai-key");
  await dialog.getByRole("button", { name: "Test connection" }).click();
  await expect(dialog.getByText(/does not look like a key for OpenAI/)).toBeVisible();
  await dialog.getByLabel("API key").fill("sk-wrong-but-well-formed-key-123456");
  await dialog.getByRole("button", { name: "Test and save" }).click();
  await expect(dialog.getByText(/Not saved: OpenAI rejected the key/)).toBeVisible();
  await dialog.getByLabel("API key").fill(providerPlaintext);
  await dialog.getByRole("button", { name: "Test connection" }).click();
  await expect(dialog.getByText("Connection works")).toBeVisible();
  await dialog.getByRole("button", { name: "Test and save" }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByTestId("provider-key-e2e-openai");
  await expect(row).toContainText("in use");
  await expect(row).not.toContainText(providerPlaintext);
  await expect(page.getByTestId("provider-status-openai")).toContainText("Dashboard key");
  await snap(page, "keys");

  // Every row of every table, as text, and the ciphertext bytes: the key is nowhere in clear.
  const tables = await sql<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
  for (const { table_name } of tables) {
    const hits = await sql<{ n: string }>(`SELECT count(*) AS n FROM "${table_name}" t WHERE strpos(t::text, $1) > 0`, [providerPlaintext]);
    expect(Number(hits[0]!.n), table_name).toBe(0);
  }
  const stored = await sql<{ n: string }>("SELECT count(*) AS n FROM provider_keys WHERE position(convert_to($1, 'UTF8') IN ciphertext) > 0", [providerPlaintext]);
  expect(Number(stored[0]!.n)).toBe(0);
  expect(await sql("SELECT provider, name FROM provider_keys")).toEqual([{ provider: "openai", name: "e2e-openai" }]);

  // The gateway decrypts it and uses it at once: OpenAI requests now work.
  const res = await gatewayClient(gatewayKey).chat.completions.create({ model: "gpt-4.1-nano", messages: [{ role: "user", content: "hi again" }] });
  expect(res.choices[0]!.message.content).toBeTruthy();
});

test("revokes the gateway key and the API answers 401 at once", async () => {
  const client = gatewayClient(gatewayKey);
  await client.models.list(); // cached as valid in the authenticator
  await page.getByRole("button", { name: "Revoke e2e-app" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByTestId("gateway-key-e2e-app")).toHaveCount(0);
  const err = await client.chat.completions.create({ model: "claude-sonnet-4-6", messages: [{ role: "user", content: "still there?" }] }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
  expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
});

test("dark mode follows the toggle", async () => {
  await navigate(page, "Overview");
  await page.getByRole("button", { name: /theme/ }).click(); // system → light
  await page.getByRole("button", { name: /theme/ }).click(); // light → dark
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.getByRole("button", { name: "Refresh" }).click();
  await expect(page.getByTestId("stat-Requests")).toHaveText("9");
  await snap(page, "overview-dark");
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/); // remembered before first paint
  await page.getByRole("button", { name: /theme/ }).click(); // dark → system
});

test("works on a phone-sized screen and from the keyboard", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/overview");
  await expect(page.getByRole("navigation", { name: "Main (compact)" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main", exact: true })).toBeHidden();
  await snap(page, "overview-mobile");
  await page.setViewportSize({ width: 1440, height: 900 });

  // Keyboard only: focus the range group, move to "30 days" and press Enter.
  await page.getByRole("button", { name: "24 hours" }).focus();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "30 days" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/range=30d/);
  // A dialog traps focus and closes with Escape.
  await page.goto("/keys");
  await page.getByRole("button", { name: "Create key" }).first().focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog")).toBeVisible();
  await expect(page.getByRole("dialog").getByLabel("Name")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toBeHidden();
});

test("README picture: a month of traffic on the overview", async () => {
  const [key] = await sql<{ id: string }>("SELECT id FROM api_keys WHERE name = 'e2e-app'");
  await seedHistory(env("E2E_DATABASE_URL"), key?.id ?? null);
  // Title, filters, cards and the trend charts in one laptop-sized frame.
  await page.setViewportSize({ width: 1280, height: 980 });
  await page.goto("/overview?range=30d");
  await expect(page.getByTestId("stat-Requests")).not.toHaveText("9");
  await expect(page.getByTestId("trend-charts")).toBeVisible();
  await page.waitForTimeout(500);
  writeFileSync(path.join(env("E2E_OUTPUT_DIR"), "dashboard.png"), await page.screenshot());
  await page.setViewportSize({ width: 1440, height: 900 });
});
