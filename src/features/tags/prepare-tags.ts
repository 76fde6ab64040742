import type { BarDatum } from "@/components/charts/bar-list-chart";
import { colorAt, otherColor } from "@/components/charts/palette";
import { nanoToUsd } from "@/lib/format";

export interface TagValueTotals {
  tag: string;
  value: string;
  requests: number;
  errorRate: number;
  inputTokens: number;
  outputTokens: number;
  costNanoUsd: string;
}

export interface TagGroup {
  tagKey: string;
  label: string;
  values: TagValueTotals[];
  /** Largest-cost values as bars, the rest summed into "Other". */
  bars: BarDatum[];
  requests: number;
}

const byCostThenRequests = (a: TagValueTotals, b: TagValueTotals) => {
  const d = BigInt(b.costNanoUsd) - BigInt(a.costNanoUsd);
  return d !== 0n ? (d > 0n ? 1 : -1) : b.requests - a.requests || a.value.localeCompare(b.value);
};

/**
 * One section per tag key ("feature:*"), bare tags last, each with its values by cost and a capped
 * bar list. Keys with the most requests come first so the busiest dimension leads.
 */
export function prepareTagGroups(groups: Array<{ tagKey: string; values: TagValueTotals[] }>, topN = 8): TagGroup[] {
  return groups
    .map((g) => {
      const values = [...g.values].sort(byCostThenRequests);
      const head = values.slice(0, topN);
      const rest = values.slice(topN);
      const bars: BarDatum[] = head.map((v, i) => ({ label: v.value, value: nanoToUsd(v.costNanoUsd), color: colorAt(i) }));
      if (rest.length > 0) {
        bars.push({ label: `Other (${rest.length})`, value: rest.reduce((s, v) => s + nanoToUsd(v.costNanoUsd), 0), color: otherColor });
      }
      return {
        tagKey: g.tagKey,
        label: g.tagKey === "" ? "Bare tags" : `${g.tagKey}:*`,
        values,
        bars,
        requests: values.reduce((s, v) => s + v.requests, 0),
      };
    })
    .sort((a, b) => (a.tagKey === "") !== (b.tagKey === "") ? (a.tagKey === "" ? 1 : -1) : b.requests - a.requests || a.tagKey.localeCompare(b.tagKey));
}
