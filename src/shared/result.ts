import { z } from 'zod';

/** Error codes every boundary may return; the renderer translates them (errors.<code>). */
export const ErrorCode = z.enum([
  'invalid_input',
  'unknown_method',
  'not_logged_in',
  'invalid_credentials',
  'server_unreachable',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rejected',
  'outdated_client',
  /** The server ended the session (logout elsewhere, an admin, a replayed token, the shift is over). */
  'session_ended',
  /** Too many failed logins: wait and try again. */
  'too_many_attempts',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const AppErrorSchema = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Field-level problems for invalid_input: path → message. */
  fields: z.record(z.string(), z.string()).optional(),
});
export type AppError = z.infer<typeof AppErrorSchema>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail(code: ErrorCode, message: string, fields?: Record<string, string>): { ok: false; error: AppError } {
  return fields ? { ok: false, error: { code, message, fields } } : { ok: false, error: { code, message } };
}

/** An error that carries an AppError across async layers inside one process. */
export class AppFailure extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  constructor(code: ErrorCode, message: string, fields?: Record<string, string>) {
    super(message);
    this.name = 'AppFailure';
    this.code = code;
    this.fields = fields;
  }
  toAppError(): AppError {
    return this.fields ? { code: this.code, message: this.message, fields: this.fields } : { code: this.code, message: this.message };
  }
}

/** Turns zod issues into a flat path → message map for forms. */
export function issuesToFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    fields[key] ??= issue.message;
  }
  return fields;
}

export const ResultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), error: AppErrorSchema }),
  ]);
