/** Series colours that read on both light and dark backgrounds. */
export const palette = ["#6366f1", "#10b981", "#f59e0b", "#ec4899", "#0ea5e9", "#8b5cf6", "#ef4444", "#14b8a6", "#a3a3a3"] as const;

export function colorAt(i: number): string {
  return palette[i % palette.length]!;
}

/** The neutral colour of an "Other" bucket. */
export const otherColor = "#a3a3a3";
