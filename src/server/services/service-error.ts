/**
 * A use case's refusal, with a safe message for the user. The tRPC layer maps the code to its own
 * (NOT_FOUND → 404 and so on); anything else thrown by a service is an internal error.
 */
export type ServiceErrorCode = "BAD_REQUEST" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "PRECONDITION_FAILED";

export class ServiceError extends Error {
  override readonly name = "ServiceError";
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    /** The input field the message is about, for forms. */
    readonly field?: string,
  ) {
    super(message);
  }
}
