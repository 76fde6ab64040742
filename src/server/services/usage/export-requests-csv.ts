import { stringify } from "csv-stringify/sync";
import type { z } from "zod";
import type { Queryable } from "@/server/db/queryable";
import type { CursorPosition } from "./cursor";
import { fetchRequestPage, requestLedgerFilterInput } from "./list-requests";
import { LEDGER_COLUMNS, toLedgerColumns } from "./request-row";

export const exportRequestsCsvInput = requestLedgerFilterInput;

/** Rows per database round trip: memory stays bounded by one page whatever the export's size. */
export const CSV_PAGE_SIZE = 1_000;

/**
 * Every request_log row of the filter as CSV (header first, newest row first), one page at a time:
 * the next page is read only when the consumer asks for more. Columns are LEDGER_COLUMNS; tags are
 * joined with ";" (which x-tags cannot carry); missing values are empty cells.
 */
export async function* exportRequestsCsv(
  db: Queryable,
  input: z.input<typeof exportRequestsCsvInput>,
  options: { pageSize?: number } = {},
): AsyncGenerator<string, void, undefined> {
  const f = exportRequestsCsvInput.parse(input);
  const pageSize = options.pageSize ?? CSV_PAGE_SIZE;
  yield stringify([LEDGER_COLUMNS as unknown as string[]]);
  let after: CursorPosition | null = null;
  do {
    const page = await fetchRequestPage(db, f, after, pageSize);
    if (page.rows.length > 0) {
      yield stringify(
        page.rows.map((r) => {
          const cols = toLedgerColumns(r);
          return LEDGER_COLUMNS.map((c) => {
            const v = cols[c];
            return c === "tags" ? (v as string[]).join(";") : v;
          });
        }),
        { cast: { boolean: (b) => (b ? "true" : "false") } },
      );
    }
    after = page.next;
  } while (after !== null);
}
