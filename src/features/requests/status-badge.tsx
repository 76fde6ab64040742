import { Badge } from "@/components/ui/badge";

export function StatusBadge({ status, httpStatus }: { status: string; httpStatus?: number }) {
  const tone = status === "success" ? "success" : status === "cancelled" ? "warning" : "danger";
  return (
    <Badge tone={tone}>
      {status}
      {httpStatus !== undefined && <span className="tabular opacity-75">{httpStatus}</span>}
    </Badge>
  );
}
