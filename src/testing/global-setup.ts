import { ensureProductionBuild } from "./build-once";

/** Vitest global setup: one production build for every suite that starts the app. */
export default function setup(): void {
  if (process.env.SWITCHYARD_SKIP_BUILD === "1") return;
  ensureProductionBuild();
}
