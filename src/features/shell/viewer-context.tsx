"use client";

import { createContext, useContext, type ReactNode } from "react";
import type { Viewer } from "@/trpc/types";

const ViewerContext = createContext<Viewer | null>(null);

export function ViewerProvider({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

/** The signed-in user and what their role allows (checked again by every procedure). */
export function useViewer(): Viewer {
  const v = useContext(ViewerContext);
  if (!v) throw new Error("useViewer outside the dashboard shell");
  return v;
}
