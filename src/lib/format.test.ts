import { describe, expect, it } from "vitest";
import {
  formatChange,
  formatCompact,
  formatDuration,
  formatPercent,
  formatPointChange,
  formatRelative,
  formatUsd,
  formatUsdAmount,
  nanoToUsd,
} from "./format";

describe("money", () => {
  it("formats exact nano-USD with the precision the amount needs", () => {
    expect(formatUsd("0")).toBe("$0.00");
    expect(formatUsd("1234560000000")).toBe("$1,234.56");
    expect(formatUsd("420000000")).toBe("$0.42");
    expect(formatUsd("4200000")).toBe("$0.0042");
    expect(formatUsd("123")).toBe("<$0.000001");
    expect(formatUsd(null)).toBe("—");
    expect(formatUsd(25_000_000_000_000n, { compact: true })).toBe("$25K");
  });

  it("converts nano-USD to dollars without losing the fraction of large amounts", () => {
    expect(nanoToUsd("123456789012345678")).toBeCloseTo(123456789.012345678, 6);
    expect(nanoToUsd(undefined)).toBe(0);
  });

  it("keeps a visible digit for sub-cent amounts", () => {
    expect(formatUsdAmount(0.0123)).toBe("$0.012");
    expect(formatUsdAmount(0.5)).toBe("$0.50");
    expect(formatUsdAmount(-2)).toBe("-$2.00");
  });
});

describe("numbers, durations, percentages", () => {
  it("compacts large counts", () => {
    expect(formatCompact(950)).toBe("950");
    expect(formatCompact(12_345)).toBe("12.3K");
    expect(formatCompact(4_200_000)).toBe("4.2M");
  });
  it("picks a duration unit", () => {
    expect(formatDuration(850.4)).toBe("850 ms");
    expect(formatDuration(1234)).toBe("1.23 s");
    expect(formatDuration(95_000)).toBe("1m 35s");
    expect(formatDuration(null)).toBe("—");
  });
  it("formats ratios as percentages", () => {
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.025)).toBe("2.5%");
    expect(formatPercent(0.0004)).toBe("0.04%");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatPercent(0.125)).toBe("12.5%");
  });
});

describe("change vs previous period", () => {
  it("is relative, signed, and says 'new' when there was nothing before", () => {
    expect(formatChange(120, 100)).toEqual({ text: "+20%", direction: "up" });
    expect(formatChange(96.6, 100)).toEqual({ text: "−3.4%", direction: "down" });
    expect(formatChange(5, 0)).toEqual({ text: "new", direction: "up" });
    expect(formatChange(0, 0)).toEqual({ text: "0%", direction: "flat" });
    expect(formatChange(null, 3)).toEqual({ text: "—", direction: "flat" });
  });
  it("uses percentage points for rates", () => {
    expect(formatPointChange(0.05, 0.02)).toEqual({ text: "+3.0 pp", direction: "up" });
    expect(formatPointChange(0.02, 0.02)).toEqual({ text: "0 pp", direction: "flat" });
  });
});

describe("relative time", () => {
  const now = new Date("2026-12-04T12:00:00Z");
  it("reads naturally", () => {
    expect(formatRelative(null, now)).toBe("never");
    expect(formatRelative(new Date("2026-12-04T11:59:50Z"), now)).toBe("just now");
    expect(formatRelative(new Date("2026-12-04T11:57:00Z"), now)).toBe("3 minutes ago");
    expect(formatRelative(new Date("2026-12-03T12:00:00Z"), now)).toBe("yesterday");
  });
});
