import { expect, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import OpenAI from "openai";

export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the specs through playwright.config.ts (global setup)`);
  return v;
}

export const admin = () => ({ email: env("E2E_ADMIN_EMAIL"), password: env("E2E_ADMIN_PASSWORD") });

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(/\/overview/);
}

/** Full-page screenshot of a main page, under e2e/output/screenshots (gitignored). */
export async function snap(page: Page, name: string): Promise<void> {
  const dir = path.join(env("E2E_OUTPUT_DIR"), "screenshots");
  mkdirSync(dir, { recursive: true });
  // Let charts finish their first layout.
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

export async function sql<R extends Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: env("E2E_DATABASE_URL") });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

/** The official OpenAI SDK pointed at the gateway. */
export function gatewayClient(apiKey: string, headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${env("E2E_BASE_URL")}/api/ai/v1`, maxRetries: 0, timeout: 30_000, defaultHeaders: headers });
}

/** Rows reach the ledger in batches: wait until `n` requests are stored. */
export async function waitForLedger(n: number): Promise<void> {
  await expect.poll(async () => Number((await sql<{ n: string }>("SELECT count(*) AS n FROM request_log"))[0]!.n), { timeout: 15_000 }).toBeGreaterThanOrEqual(n);
}

/** Follows a sidebar link and waits for the page to be there (client navigation is async). */
export async function navigate(page: Page, label: string): Promise<void> {
  await page.getByRole("navigation", { name: "Main", exact: true }).getByRole("link", { name: label, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/${label.toLowerCase()}(\\?|$)`));
  await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
}
