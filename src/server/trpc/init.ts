import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type pg from "pg";
import type { SessionUser } from "@/server/auth/session-user";
import { roleAllows, type Role } from "@/server/keys/roles";
import { ServiceError } from "@/server/services/service-error";
import type { DashboardRuntime } from "./dashboard-runtime";

export interface InnerContext {
  /** null when signed out. Read from the database on every request, so role changes apply at once. */
  session: SessionUser | null;
  db: pg.Pool;
  runtime: DashboardRuntime;
}

/** Everything a procedure needs, without HTTP: tests build it and call routers through createCaller. */
export function createInnerContext(opts: InnerContext): InnerContext {
  return { session: opts.session, db: opts.db, runtime: opts.runtime };
}

const t = initTRPC.context<InnerContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      // Internal errors may carry SQL or stack details: clients get a generic message (the server logs the rest).
      message: error.code === "INTERNAL_SERVER_ERROR" ? "Something went wrong on the server. Try again." : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        field: cause instanceof ServiceError ? (cause.field ?? null) : null,
        fieldErrors: cause instanceof ZodError ? z.flattenError(cause).fieldErrors : null,
      },
    };
  },
});

const serviceErrorStatus: Record<ServiceError["code"], TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PRECONDITION_FAILED: "PRECONDITION_FAILED",
};

/** A service's refusal becomes the matching tRPC error with its message; other errors stay internal. */
const mapServiceErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof ServiceError) throw new TRPCError({ code: serviceErrorStatus[cause.code], message: cause.message, cause });
    if (cause instanceof ZodError) throw new TRPCError({ code: "BAD_REQUEST", message: cause.issues[0]?.message ?? "Invalid input.", cause });
  }
  return result;
});

function requireRole(need: Role) {
  return t.middleware(({ ctx, next }) => {
    if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    if (!roleAllows(ctx.session.role, need)) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${need} role; you have ${ctx.session.role}.` });
    }
    return next({ ctx: { ...ctx, session: ctx.session } });
  });
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Anyone, signed in or not (setup status, who am I). */
export const publicProcedure = t.procedure.use(mapServiceErrors);
/** Signed in with any role: analytics, lists. */
export const readProcedure = publicProcedure.use(requireRole("read"));
/** Signed in as execute or admin: create gateway keys, see logged payloads. */
export const executeProcedure = publicProcedure.use(requireRole("execute"));
/** Admins: users, provider keys, settings. */
export const adminProcedure = publicProcedure.use(requireRole("admin"));
