/** Roles in the browser: an admin invites a read-only user, who sees analytics but cannot manage anything. */
import { expect, test } from "@playwright/test";
import { admin, navigate, signIn, snap } from "./support/harness";

test("an invited read user sees analytics only; a role change applies without signing in again", async ({ browser }) => {
  const adminPage = await browser.newPage();
  await signIn(adminPage, admin().email, admin().password);
  await navigate(adminPage, "Users");
  await adminPage.getByRole("button", { name: "Invite user" }).click();
  const dialog = adminPage.getByRole("dialog");
  const email = `reader-${Date.now()}@e2e.test`;
  await dialog.getByLabel("Email").fill(email);
  await dialog.getByLabel("Role").selectOption("read");
  await dialog.getByRole("button", { name: "Invite" }).click();
  const password = (await dialog.getByTestId("temporary-password").textContent())!.trim();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(adminPage.getByRole("cell", { name: email, exact: true })).toBeVisible();
  // The last admin cannot be demoted.
  await adminPage.getByLabel(`Role of ${admin().email}`).selectOption("read");
  await expect(adminPage.getByText("This is the last admin")).toBeVisible();
  await snap(adminPage, "users");

  const reader = await browser.newContext();
  const page = await reader.newPage();
  await signIn(page, email, password);
  const nav = page.getByRole("navigation", { name: "Main", exact: true });
  await expect(nav.getByRole("link", { name: "Users" })).toHaveCount(0);
  await navigate(page, "Keys");
  await expect(page.getByRole("heading", { name: "Gateway keys" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Create key" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Add provider key" })).toHaveCount(0);
  await navigate(page, "Settings");
  await expect(page.getByRole("switch", { name: "Payload logging" })).toBeDisabled();
  // The server refuses regardless of what the UI shows.
  expect((await page.request.get("/api/trpc/users.list")).status()).toBe(403);

  await adminPage.getByLabel(`Role of ${email}`).selectOption("execute");
  await expect(adminPage.getByLabel(`Role of ${email}`)).toHaveValue("execute");
  await navigate(page, "Keys");
  await expect(page).toHaveURL(/\/keys$/);
  await page.reload();
  await expect(page.getByRole("button", { name: "Create key" })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/sign-in$/);

  await reader.close();
  await adminPage.close();
});
