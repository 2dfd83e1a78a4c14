/** How a cluster's certificate is trusted (SECURITY.md, TLS). There is no "insecure" mode. */
export type TrustConfig =
  | { readonly mode: 'system' }
  | { readonly mode: 'ca'; readonly caPem: string }
  | { readonly mode: 'fingerprint'; readonly fingerprint: string };
