import { describe, expect, it } from "vitest";
import { prepareTagGroups, type TagValueTotals } from "./prepare-tags";

const v = (tag: string, requests: number, costNano: number): TagValueTotals => {
  const i = tag.indexOf(":");
  return { tag, value: i >= 0 ? tag.slice(i + 1) : tag, requests, errorRate: 0, inputTokens: 0, outputTokens: 0, costNanoUsd: String(costNano) };
};

describe("prepareTagGroups", () => {
  const groups = prepareTagGroups(
    [
      { tagKey: "", values: [v("urgent", 100, 1)] },
      { tagKey: "feature", values: [v("feature:search", 5, 2_000_000_000), v("feature:code-review", 3, 7_000_000_000), v("feature:chat", 9, 2_000_000_000)] },
      { tagKey: "team", values: [v("team:ml", 40, 1)] },
    ],
    2,
  );

  it("orders keys by traffic with bare tags last, values by cost then requests", () => {
    expect(groups.map((g) => g.label)).toEqual(["team:*", "feature:*", "Bare tags"]);
    expect(groups[1]!.values.map((x) => x.value)).toEqual(["code-review", "chat", "search"]);
  });

  it("caps bars at N and sums the rest into 'Other'", () => {
    expect(groups[1]!.bars).toEqual([
      expect.objectContaining({ label: "code-review", value: 7 }),
      expect.objectContaining({ label: "chat", value: 2 }),
      expect.objectContaining({ label: "Other (1)", value: 2 }),
    ]);
    expect(groups[0]!.bars).toHaveLength(1);
  });
});
