// The station's ledger signing key, kept in the data directory:
//   <dataDir>/keys/ledger-ed25519.pem      private key, PKCS#8 PEM, mode 0600
//   <dataDir>/keys/ledger-ed25519.pub.pem  public key, SPKI PEM: give it to members
// The folder is 0700. It is created on first use; an existing key is never replaced (a
// new key would make every earlier block unverifiable with the published one).
// The Electron app can pass `protect` (safeStorage.encryptString/decryptString): the
// private key is then stored as wrapped bytes under its own PEM label instead.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { keyIdOf } from '../../core/ledger/hashing';
import { ed25519Signer, rawPublicKey, type LedgerSigner } from '../../core/ledger/signing';

export const KEY_FOLDER = 'keys';
export const PRIVATE_KEY_FILE = 'ledger-ed25519.pem';
export const PUBLIC_KEY_FILE = 'ledger-ed25519.pub.pem';
const WRAPPED_LABEL = 'MICROGRID WRAPPED PRIVATE KEY';

/** Wraps the private key's bytes at rest, e.g. with Electron's safeStorage. */
export interface KeyProtection {
  wrap(plain: Buffer): Buffer;
  unwrap(wrapped: Buffer): Buffer;
}

export class LedgerKeyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerKeyError';
  }
}

export interface StationKey {
  keyId: string;
  publicKey: KeyObject;
  signer: LedgerSigner;
  privateKeyPath: string;
  publicKeyPath: string;
}

export function ledgerKeyPaths(dataDir: string): { privateKeyPath: string; publicKeyPath: string } {
  const dir = join(dataDir, KEY_FOLDER);
  return { privateKeyPath: join(dir, PRIVATE_KEY_FILE), publicKeyPath: join(dir, PUBLIC_KEY_FILE) };
}

/** Loads the station's signing key, creating it (and the folder) on first use. */
export function loadOrCreateStationKey(dataDir: string, protect?: KeyProtection): StationKey {
  const paths = ledgerKeyPaths(dataDir);
  if (!existsSync(paths.privateKeyPath)) createKey(dataDir, protect);
  const privateKey = readPrivateKey(paths.privateKeyPath, protect);
  const publicKey = createPublicKey(privateKey);
  // The public file is a copy for members; rewrite it if it went missing.
  if (!existsSync(paths.publicKeyPath))
    writeFileDurably(paths.publicKeyPath, publicPem(publicKey), 0o644);
  return {
    keyId: keyIdOf(rawPublicKey(publicKey)),
    publicKey,
    signer: ed25519Signer(privateKey),
    ...paths,
  };
}

/** The station's public key from the data directory (no private key needed), or null. */
export function readStationPublicKey(dataDir: string): KeyObject | null {
  const { publicKeyPath } = ledgerKeyPaths(dataDir);
  if (!existsSync(publicKeyPath)) return null;
  return readPublicKeyFile(publicKeyPath);
}

export function readPublicKeyFile(path: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(readFileSync(path));
  } catch (cause) {
    throw new LedgerKeyError(`${path} is not a readable public key: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new LedgerKeyError(`${path} is not an Ed25519 key`);
  return key;
}

function createKey(dataDir: string, protect?: KeyProtection): void {
  const dir = join(dataDir, KEY_FOLDER);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const { privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const text = protect ? pem(WRAPPED_LABEL, protect.wrap(der)) : pem('PRIVATE KEY', der);
  const { privateKeyPath } = ledgerKeyPaths(dataDir);
  // link() fails if the file exists: when two processes create a key at once, one wins
  // and both go on with the winner's key.
  const tmp = `${privateKeyPath}.tmp-${process.pid}`;
  writeFileDurably(tmp, text, 0o600, false);
  try {
    linkSync(tmp, privateKeyPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(tmp);
  }
}

function readPrivateKey(path: string, protect?: KeyProtection): KeyObject {
  const text = readFileSync(path, 'utf8');
  try {
    if (text.includes(`BEGIN ${WRAPPED_LABEL}`)) {
      if (!protect)
        throw new LedgerKeyError(
          `${path} is protected by the desktop app's key store; sign from the app`,
        );
      const wrapped = Buffer.from(
        text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''),
        'base64',
      );
      return createPrivateKey({ key: protect.unwrap(wrapped), format: 'der', type: 'pkcs8' });
    }
    const key = createPrivateKey(text);
    if (key.asymmetricKeyType !== 'ed25519')
      throw new LedgerKeyError(`${path} is not an Ed25519 key`);
    return key;
  } catch (cause) {
    if (cause instanceof LedgerKeyError) throw cause;
    throw new LedgerKeyError(`cannot read the ledger key ${path}: ${(cause as Error).message}`, {
      cause,
    });
  }
}

function publicPem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Written to a temporary file first and renamed: a crash never leaves half a key. */
export function writeFileDurably(path: string, text: string, mode: number, viaTemp = true): void {
  const tmp = viaTemp ? `${path}.tmp-${process.pid}` : path;
  const fd = openSync(tmp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, mode);
  if (viaTemp) renameSync(tmp, path);
}
