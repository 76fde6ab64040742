import { TRPCClientError } from "@trpc/client";

interface ErrorData {
  code?: string;
  httpStatus?: number;
  field?: string | null;
  fieldErrors?: Record<string, string[] | undefined> | null;
}

function dataOf(err: unknown): ErrorData | undefined {
  return err instanceof TRPCClientError ? (err.data as ErrorData | undefined) : undefined;
}

/** A message fit for the user: the server's for refusals, a generic one for network trouble. */
export function errorMessage(err: unknown): string {
  if (!err) return "";
  if (err instanceof TRPCClientError) {
    const data = dataOf(err);
    const firstField = data?.fieldErrors ? Object.values(data.fieldErrors).flat().find(Boolean) : undefined;
    if (data?.code === "BAD_REQUEST" && firstField) return firstField;
    return err.message || "Something went wrong.";
  }
  return "Could not reach the server. Check your connection and try again.";
}

/** The error of one form field, when the server named it. */
export function fieldError(err: unknown, field: string): string | undefined {
  const data = dataOf(err);
  if (!data) return undefined;
  if (data.field === field) return (err as Error).message;
  return data.fieldErrors?.[field]?.[0];
}
