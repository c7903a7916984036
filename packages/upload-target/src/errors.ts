/**
 * A fault rule, setting or option that the target cannot use. The message
 * names the field, the bad value and what is allowed.
 *
 * @public
 */
export class UploadTargetConfigError extends Error {
  readonly code = 'UPLOAD_TARGET_INVALID_CONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'UploadTargetConfigError';
  }
}
