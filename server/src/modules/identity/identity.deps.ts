import type { AppDeps } from '../../platform/deps.js';
import { createTokenSigner, type TokenSigner } from './tokens.js';

/** What the identity services need on top of the platform: the token signer. */
export interface IdentityDeps extends AppDeps {
  tokens: TokenSigner;
}

export function identityDeps(deps: AppDeps): IdentityDeps {
  return { ...deps, tokens: createTokenSigner(deps.config.jwtSecret) };
}
