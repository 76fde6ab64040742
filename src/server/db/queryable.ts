/** The slice of `pg.Pool` / `pg.Client` the services need; lets tests pass either. */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}
