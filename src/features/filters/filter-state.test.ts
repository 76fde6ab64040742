import { describe, expect, it } from "vitest";
import { csvExportParams, emptyFilters, parseFilters, resolveTimeRange, serializeFilters, toggleTag, toUsageQuery } from "./filter-state";

const p = (s: string) => new URLSearchParams(s);

describe("parseFilters / serializeFilters", () => {
  it("round-trips a full filter and omits defaults", () => {
    const s = parseFilters(p("range=month&tag=team:ml&tag=feature:code-review&model=gpt-4.1&provider=openai&key=0e9a5e1c-7b3f-4a55-9a0c-1f2e3d4c5b6a&bucket=day"));
    expect(s).toEqual({
      range: "month",
      from: null,
      to: null,
      tags: ["feature:code-review", "team:ml"],
      model: "gpt-4.1",
      provider: "openai",
      key: "0e9a5e1c-7b3f-4a55-9a0c-1f2e3d4c5b6a",
      bucket: "day",
    });
    expect(serializeFilters(s).toString()).toBe(
      "range=month&tag=feature%3Acode-review&tag=team%3Aml&model=gpt-4.1&provider=openai&key=0e9a5e1c-7b3f-4a55-9a0c-1f2e3d4c5b6a&bucket=day",
    );
    expect(serializeFilters(emptyFilters).toString()).toBe("");
  });

  it("falls back to defaults for malformed links", () => {
    expect(parseFilters(p("range=year&key=not-a-uuid&bucket=minute&tag="))).toEqual(emptyFilters);
    // A custom range needs both dates, in order.
    expect(parseFilters(p("range=custom&from=2026-12-05&to=2026-12-01")).range).toBe("7d");
    expect(parseFilters(p("range=custom&from=2026-12-01&to=2026-12-05"))).toMatchObject({ range: "custom", from: "2026-12-01", to: "2026-12-05" });
    // Dates without the custom preset are ignored.
    expect(parseFilters(p("range=30d&from=2026-12-01&to=2026-12-05"))).toMatchObject({ from: null, to: null });
  });

  it("keeps unrelated parameters and drops a stale cursor when filters change", () => {
    const out = serializeFilters({ ...emptyFilters, tags: ["a"] }, p("sort=cost&cursor=abc&tag=old"));
    expect(out.toString()).toBe("sort=cost&tag=a");
  });

  it("toggles tags in sorted order", () => {
    const once = toggleTag(emptyFilters, "team:ml");
    const twice = toggleTag(once, "feature:code-review");
    expect(twice.tags).toEqual(["feature:code-review", "team:ml"]);
    expect(toggleTag(twice, "team:ml").tags).toEqual(["feature:code-review"]);
  });
});

describe("resolveTimeRange", () => {
  const now = new Date(2026, 11, 17, 15, 42, 10); // local time

  it("rounds 'now' up to the minute so one page's queries agree", () => {
    const r = resolveTimeRange({ ...emptyFilters, range: "24h" }, now);
    expect(r.to).toEqual(new Date(2026, 11, 17, 15, 43, 0));
    expect(r.to.getTime() - r.from.getTime()).toBe(24 * 3_600_000);
  });

  it("starts 'this month' at local midnight of the 1st", () => {
    expect(resolveTimeRange({ ...emptyFilters, range: "month" }, now).from).toEqual(new Date(2026, 11, 1));
  });

  it("makes a custom range's end date inclusive", () => {
    const r = resolveTimeRange({ ...emptyFilters, range: "custom", from: "2026-11-03", to: "2026-11-04" }, now);
    expect(r).toEqual({ from: new Date(2026, 10, 3), to: new Date(2026, 10, 5) });
  });
});

describe("toUsageQuery / csvExportParams", () => {
  it("maps single choices to the services' arrays and ignores unknown providers", () => {
    const now = new Date(2026, 11, 17, 12, 0, 0);
    const q = toUsageQuery({ ...emptyFilters, tags: ["a:b"], model: "m", provider: "nope", key: "0e9a5e1c-7b3f-4a55-9a0c-1f2e3d4c5b6a" }, now);
    expect(q).toMatchObject({ tags: ["a:b"], model: ["m"], provider: [], apiKeyId: ["0e9a5e1c-7b3f-4a55-9a0c-1f2e3d4c5b6a"] });
    const csv = csvExportParams({ ...q, provider: ["openai"] }, { status: ["error"] });
    expect(csv.getAll("tags")).toEqual(["a:b"]);
    expect(csv.get("provider")).toBe("openai");
    expect(csv.get("status")).toBe("error");
    expect(new Date(csv.get("from")!).getTime()).toBe(q.from.getTime());
  });
});
