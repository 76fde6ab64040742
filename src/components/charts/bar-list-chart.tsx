"use client";

import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartTooltipBox } from "./chart-tooltip";

export interface BarDatum {
  label: string;
  value: number;
  color: string;
}

/** Horizontal bars, one per prepared row, in the given order. */
export function BarListChart({ data, valueLabel, format, ariaLabel }: { data: BarDatum[]; valueLabel: string; format: (v: number) => string; ariaLabel: string }) {
  const height = Math.max(120, data.length * 34 + 24);
  return (
    <div role="img" aria-label={ariaLabel} className="text-zinc-400 dark:text-zinc-500" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="currentColor" strokeOpacity={0.25} horizontal={false} />
          <XAxis type="number" tickFormatter={format} tick={{ fill: "currentColor", fontSize: 11 }} tickLine={false} axisLine={false} />
          <YAxis
            type="category"
            dataKey="label"
            width={150}
            tick={{ fill: "currentColor", fontSize: 11 }}
            tickLine={false}
            axisLine={false}
            tickFormatter={(l: string) => (l.length > 22 ? `${l.slice(0, 21)}…` : l)}
          />
          <Tooltip
            cursor={{ fill: "currentColor", fillOpacity: 0.08 }}
            content={({ active, payload }) => {
              const d = active ? (payload?.[0]?.payload as BarDatum | undefined) : undefined;
              return d ? <ChartTooltipBox title={d.label} rows={[{ label: valueLabel, color: d.color, value: format(d.value) }]} /> : null;
            }}
          />
          <Bar dataKey="value" radius={[0, 4, 4, 0]} isAnimationActive={false} maxBarSize={22}>
            {data.map((d) => (
              <Cell key={d.label} fill={d.color} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
