/**
 * An error meant for the clerk: a stable code, a Chinese message that says what and where, and details
 * (row numbers, fields) for the UI. Handlers throw it; every transport sends it across as data.
 */
export class AppError extends Error {
  readonly code: string;
  readonly details: unknown;
  constructor(code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function notFound(what: string): AppError {
  return new AppError('not-found', `${what}不存在或已被删除`);
}
