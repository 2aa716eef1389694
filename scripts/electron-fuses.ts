// Flips Electron's fuses in a packaged station binary: features compiled into Electron that
// only a rebuild or this script can turn off. Run it on the packaged app before signing:
//   npm run fuses -- path/to/microgrid-station(.exe|.app)
// It refuses a binary without the fuse wire. Here, where the Electron binary cannot be
// installed, it is tested on a synthetic fuse wire (test/scripts/electron-fuses.test.ts).
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { pathToFileURL } from 'node:url';

/** Every fuse of the V1 wire, named, so a new Electron with more fuses fails loudly
 *  (strictlyRequireAllFuses) instead of inheriting a default nobody chose. */
export const PACKAGED_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node.js for anyone.
  [FuseV1Options.RunAsNode]: false,
  // Cookies and storage encrypted with an OS-held key.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS and --inspect would let the environment inject code into main.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // The app is loaded only from app.asar, and that archive is checked against the hash
  // the packager embedded (macOS and Windows; Linux does not support it yet).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // No custom V8 snapshot for the main process.
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // Pages come from the app: protocol, so file:// needs none of its legacy privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} as const;

/** Flips the fuses and returns the wire as read back, fuse name → '0' | '1'. */
export async function applyPackagedFuses(binary: string): Promise<Record<string, string>> {
  await flipFuses(binary, {
    ...PACKAGED_FUSES,
    // Flipping invalidates the ad-hoc signature of an arm64 macOS app; re-sign it.
    resetAdHocDarwinSignature: process.platform === 'darwin' && binary.includes('.app'),
  });
  const wire = await getCurrentFuseWire(binary);
  const named: Record<string, string> = {};
  for (const [index, state] of Object.entries(wire)) {
    if (index === 'version') continue;
    named[FuseV1Options[Number(index)] ?? `fuse ${index}`] = String.fromCharCode(Number(state));
  }
  return named;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const binary = process.argv[2];
  if (!binary) {
    console.error('usage: npm run fuses -- <packaged Electron binary or .app>');
    process.exit(2);
  }
  applyPackagedFuses(binary).then(
    (wire) => {
      for (const [name, state] of Object.entries(wire)) console.log(`${name}: ${state}`);
    },
    (error: unknown) => {
      console.error(`fuses: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
