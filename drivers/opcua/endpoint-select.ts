// Picks the endpoint a connection will use from what the server offers, or says precisely
// why none fits: the mode is not offered at all, the policy is not offered with it, or the
// user token type is not accepted there — each time listing what the server does offer.
import { fail, ok, type Result } from '../../core/result';
import { describeOffers, type OfferedEndpoint, type UserTokenKind } from './endpoints';
import { opcuaError, type OpcuaError } from './opcua-error';
import type { SecurityModeName, SecurityPolicyName } from './security';

const TOKEN_LABELS: Record<UserTokenKind, string> = {
  anonymous: 'anonymous users',
  username: 'user names and passwords',
  certificate: 'user certificates',
  issued: 'issued tokens',
};

export function selectEndpoint(
  endpointUrl: string,
  endpoints: readonly OfferedEndpoint[],
  mode: SecurityModeName,
  policy: SecurityPolicyName | 'None',
  token: UserTokenKind,
): Result<OfferedEndpoint, OpcuaError> {
  const offers = describeOffers(endpoints);
  const withMode = endpoints.filter((e) => e.securityMode === mode);
  if (withMode.length === 0) {
    const why = mode === 'none' ? ' (it only accepts secured connections)' : '';
    return fail(
      opcuaError(
        'security_mode_refused',
        `${endpointUrl} does not offer security ${mode}${why}; it offers ${offers}`,
        { offered: offers },
      ),
    );
  }
  const withPolicy = withMode.filter((e) => mode === 'none' || e.securityPolicy === policy);
  if (withPolicy.length === 0) {
    return fail(
      opcuaError(
        'policy_not_offered',
        `${endpointUrl} does not offer policy ${policy} with security ${mode}; it offers ${offers}`,
        { offered: offers },
      ),
    );
  }
  const withToken = withPolicy.filter((e) => e.userTokens.includes(token));
  if (withToken.length === 0) {
    const accepted = [...new Set(withPolicy.flatMap((e) => e.userTokens))];
    const acceptedText = accepted.length
      ? accepted.map((t) => TOKEN_LABELS[t]).join(', ')
      : 'no user tokens';
    return fail(
      opcuaError(
        'user_token_not_offered',
        `${endpointUrl} does not accept ${TOKEN_LABELS[token]} with security ${mode}${mode === 'none' ? '' : ` and ${policy}`}; it accepts ${acceptedText}`,
        { offered: acceptedText },
      ),
    );
  }
  return ok(withToken.reduce((best, e) => (e.securityLevel > best.securityLevel ? e : best)));
}
