// OPC UA passwords live in the data directory, never in the site file (which is exported,
// mailed around and kept in version control): `<dataDir>/secrets/opcua/<deviceId>.json`,
// `{ "password": "…" }`, readable by the station's user only (0600, folder 0700). A file
// found readable by others is tightened, as ssh does for keys, rather than refused: a
// technician who copied a data directory should not lose the device over it.
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Problem, type Result } from '../../core/result';

export const SECRETS_FOLDER = join('secrets', 'opcua');
const DEVICE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function opcuaSecretFile(dataDir: string, deviceId: string): string {
  return join(dataDir, SECRETS_FOLDER, `${deviceId}.json`);
}

const badId = (deviceId: string): Problem => ({
  code: 'bad_device_id',
  message: `"${deviceId}" is not a device id`,
});

/** The stored password; null when the device has none stored. */
export function readOpcuaPassword(dataDir: string, deviceId: string): Result<string | null> {
  if (!DEVICE_ID.test(deviceId)) return fail(badId(deviceId));
  const file = opcuaSecretFile(dataDir, deviceId);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ok(null);
    return fail({ code: 'secret_unreadable', message: `cannot read ${file}: ${String(error)}` });
  }
  tighten(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return fail({ code: 'bad_secret', message: `${file} is not valid JSON` });
  }
  const password = (data as { password?: unknown } | null)?.password;
  if (typeof password !== 'string')
    return fail({ code: 'bad_secret', message: `${file} has no "password" string` });
  return ok(password);
}

export async function writeOpcuaPassword(
  dataDir: string,
  deviceId: string,
  password: string,
): Promise<Result<void>> {
  if (!DEVICE_ID.test(deviceId)) return fail(badId(deviceId));
  const file = opcuaSecretFile(dataDir, deviceId);
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(join(dataDir, SECRETS_FOLDER), { recursive: true, mode: 0o700 });
    await chmod(join(dataDir, SECRETS_FOLDER), 0o700);
    // Written whole under another name and renamed: a crash never leaves half a password.
    await writeFile(temporary, `${JSON.stringify({ password })}\n`, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, file);
    return ok(undefined);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    return fail({ code: 'secret_unwritable', message: `cannot write ${file}: ${String(error)}` });
  }
}

export async function deleteOpcuaPassword(
  dataDir: string,
  deviceId: string,
): Promise<Result<void>> {
  if (!DEVICE_ID.test(deviceId)) return fail(badId(deviceId));
  const file = opcuaSecretFile(dataDir, deviceId);
  try {
    await rm(file, { force: true });
    return ok(undefined);
  } catch (error) {
    return fail({ code: 'secret_unwritable', message: `cannot delete ${file}: ${String(error)}` });
  }
}

function tighten(file: string): void {
  if (process.platform === 'win32') return;
  try {
    if (statSync(file).mode & 0o077) chmodSync(file, 0o600);
  } catch {
    // Not ours to fix (another owner): reading worked, which is what matters here.
  }
}
