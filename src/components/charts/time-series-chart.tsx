"use client";

import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTooltipBox } from "./chart-tooltip";

export interface TimeSeriesDef {
  key: string;
  label: string;
  color: string;
  format: (v: number) => string;
}

export type TimePoint = { t: number } & Record<string, number | null>;

interface Props {
  data: TimePoint[];
  series: TimeSeriesDef[];
  xTick: (t: number) => string;
  tooltipTitle: (t: number) => string;
  yTick: (v: number) => string;
  ariaLabel: string;
  height?: number;
  stacked?: boolean;
  /** Counts tick in whole numbers; money does not. */
  integerTicks?: boolean;
}

/** Renders prepared points; every label and number format comes from the caller. */
export function TimeSeriesChart({ data, series, xTick, tooltipTitle, yTick, ariaLabel, height = 220, stacked = false, integerTicks = false }: Props) {
  return (
    <div>
    <ul className="mb-1 flex flex-wrap gap-x-3 gap-y-1 text-[11px] text-zinc-500 dark:text-zinc-400" aria-hidden>
      {series.map((s) => (
        <li key={s.key} className="flex items-center gap-1">
          <span className="size-2 rounded-full" style={{ backgroundColor: s.color }} />
          {s.label}
        </li>
      ))}
    </ul>
    <div role="img" aria-label={ariaLabel} className="text-zinc-400 dark:text-zinc-500" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <defs>
            {series.map((s) => (
              <linearGradient key={s.key} id={`fill-${s.key}`} x1="0" y1="0" x2="0" y2="1">
                <stop offset="0%" stopColor={s.color} stopOpacity={0.28} />
                <stop offset="100%" stopColor={s.color} stopOpacity={0.02} />
              </linearGradient>
            ))}
          </defs>
          <CartesianGrid stroke="currentColor" strokeOpacity={0.25} vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={["dataMin", "dataMax"]}
            tickFormatter={xTick}
            tick={{ fill: "currentColor", fontSize: 11 }}
            tickLine={false}
            axisLine={false}
            minTickGap={24}
          />
          <YAxis tickFormatter={yTick} tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={false} width={64} allowDecimals={!integerTicks} />
          <Tooltip
            cursor={{ stroke: "currentColor", strokeOpacity: 0.4 }}
            content={({ active, payload, label }) =>
              active && payload && payload.length > 0 ? (
                <ChartTooltipBox
                  title={tooltipTitle(Number(label))}
                  rows={series.map((s) => {
                    const v = payload.find((p) => p.dataKey === s.key)?.value;
                    return { label: s.label, color: s.color, value: typeof v === "number" ? s.format(v) : "—" };
                  })}
                />
              ) : null
            }
          />
          {series.map((s) => (
            <Area
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.label}
              stroke={s.color}
              strokeWidth={2}
              fill={`url(#fill-${s.key})`}
              stackId={stacked ? "stack" : undefined}
              connectNulls={false}
              isAnimationActive={false}
              dot={false}
              activeDot={{ r: 3 }}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </div>
    </div>
  );
}
