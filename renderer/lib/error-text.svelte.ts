// A failed request in words: a translated sentence for the kind of failure, then the
// station's own detail (technical English from the device or the site schema, kept as is
// because it names fields, registers and values exactly).
import { isApiError, type ClientErrorCode } from '../api/api-error';
import type { MessageKey } from '../i18n/dictionaries';
import { t } from '../i18n/i18n.svelte';

const LEADS: Record<ClientErrorCode, MessageKey> = {
  bad_request: 'error.bad_request',
  unknown_method: 'error.unknown_method',
  not_found: 'error.not_found',
  unavailable: 'error.unavailable',
  internal: 'error.internal',
  invalid_site: 'error.invalid_site',
  duplicate: 'error.duplicate',
  busy: 'error.busy',
  unknown_profile: 'error.unknown_profile',
  profile_role: 'error.profile_role',
  device_error: 'error.device_error',
  unknown_point: 'error.unknown_point',
  read_only: 'error.read_only',
  out_of_range: 'error.out_of_range',
  certificate_untrusted: 'error.certificate_untrusted',
  certificate_invalid: 'error.certificate_invalid',
  certificate_changed: 'error.certificate_changed',
  security_refused: 'error.security_refused',
  auth_failed: 'error.auth_failed',
  order_rejected: 'error.order_rejected',
  invalid_config: 'error.invalid_config',
  unauthenticated: 'error.unauthenticated',
  forbidden: 'error.forbidden',
  weak_password: 'error.weak_password',
  user_exists: 'error.user_exists',
  last_admin: 'error.last_admin',
  timeout: 'error.timeout',
  disconnected: 'error.disconnected',
};

export interface ErrorText {
  lead: string;
  detail: string | null;
}

export function errorText(error: unknown): ErrorText {
  if (!isApiError(error)) return { lead: t('error.internal'), detail: String(error) };
  return { lead: t(LEADS[error.code]), detail: error.message || null };
}
