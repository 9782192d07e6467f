// What the `certs` command needs before it loads the X.509 machinery (write-certs.ts, slow
// to import): its option defaults and its notice.

/** Defaults a CLI may use for options it leaves out. */
export const CERT_DEFAULTS = { users: 10, sites: 4, expired: 0, seed: 1, keys: false } as const;

/** What `twinedge certs` prints on stderr: these keys are for simulation only. */
export function simulationOnlyNotice(seed: number): string {
  return `twinedge certs: every private key derives from the public seed ${seed}: anyone who knows it can rebuild them. ` +
    "These certificates and keys are for simulation and testing only, never for a real deployment.";
}
