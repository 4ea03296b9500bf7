import type { DeploymentRow } from '@berth/shared/db';
import { dropControls, hasNonColourEscapes, stripAnsi } from '@berth/shared/log-line';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';

// What a deployment's log masks, and how (docs/security.md, "What is never logged or shown").

export const mask = '••••••';

/**
 * What a deployment's log masks: the values of its env and build env, and
 * the credentials of its git URL and of the build proxies, wherever they appear. A snapshot that does
 * not open (the key changed) has no value to mask; the pipeline then fails it.
 */
export function secretsToMask(
  box: SecretBox,
  deployment: DeploymentRow,
  proxyUrls: readonly string[] = [],
  /** More values to mask: the passwords of the project's services (in the URLs its apps get). */
  extra: readonly string[] = [],
): string[] {
  const opened = (sealed: string | null, plain: Record<string, string>, kind: 'env' | 'buildEnv') => {
    try {
      return box.openOr(sealed, plain, sealedPlace(deployment.project, kind));
    } catch {
      return {};
    }
  };
  const buildEnv = opened(deployment.build_env_sealed, {}, 'buildEnv');
  const env = opened(deployment.env_sealed, deployment.env, 'env');
  const values = Object.fromEntries([...Object.values(buildEnv), ...Object.values(env), ...extra].map((v, i) => [`V${i}`, v]));
  return maskableSecrets(values, deployment.git_url, ...proxyUrls);
}

/**
 * Values masked, longest first so no part of one is left. Every value of 6
 * characters or more, whatever its characters (a PIN, a card number, a
 * word); of 4 or 5 characters, those that are not digits or a config word
 * ("8080", "true": masking them would blot out ordinary output and, by where
 * the masks fall, tell the value); none under 4. Each value is also masked in
 * the forms a log shows it in: without the control characters the log drops,
 * and escaped as in JSON.
 */
export function maskableSecrets(env: Record<string, string>, ...urls: (string | null | undefined)[]): string[] {
  // A multi-line value (a PEM key, pretty JSON) is printed line by line: each of its lines is a secret too.
  const values = Object.values(env).flatMap((v) => (v.includes('\n') ? [v, ...v.split(/\r?\n/).map((l) => l.trim())] : [v]));
  const forms = [...values, ...urls.flatMap(urlCredentials)].flatMap((v) => [v, dropControls(v), JSON.stringify(v).slice(1, -1)]);
  return [...new Set(forms)].filter(worthMasking).sort((a, b) => b.length - a.length);
}

function worthMasking(value: string): boolean {
  if (value.length >= 6) return true;
  return value.length >= 4 && !/^(\d+|true|false|yes|no|on|off)$/i.test(value);
}

/**
 * The secret part of `https://user:token@host/…` (as written and decoded): Berth
 * logs the URL it clones, and git (or npm, of a proxy) may quote it. The user name counts only
 * when it stands alone (`https://token@host`); beside a password it is usually
 * an ordinary word that masking would blot out everywhere.
 */
function urlCredentials(gitUrl: string | null | undefined): string[] {
  if (!gitUrl) return [];
  let url: URL;
  try {
    url = new URL(gitUrl);
  } catch {
    return [];
  }
  const secret = url.password || url.username;
  if (!secret) return [];
  let decoded = secret;
  try {
    decoded = decodeURIComponent(secret);
  } catch {
    // A malformed escape: the raw form is all there is to mask.
  }
  return [secret, decoded];
}

function maskAll(line: string, secrets: readonly string[]): string {
  let text = line;
  for (const secret of secrets) if (text.includes(secret)) text = text.split(secret).join(mask);
  return text;
}

/** `line` with `secrets` masked, whatever escape codes are put in or around them. */
export function maskLine(line: string, secrets: readonly string[]): string {
  if (secrets.length === 0) return line;
  const text = maskAll(line, secrets);
  // An escape code inside a secret ("sup\e[0mersecret") hides it from the
  // search above, yet a terminal, and the API's text view, show it whole.
  // Then the line is kept without its escape codes, masked.
  const plain = stripAnsi(text);
  if (plain !== text && secrets.some((s) => plain.includes(s))) return maskAll(plain, secrets);
  // Cursor moves can put a secret together on a terminal that no search of
  // the text finds ("   ecret\e[8Dsup\e[1Cr"): such a line loses its codes.
  return hasNonColourEscapes(text) ? maskAll(plain, secrets) : text;
}

/**
 * Where to end what is stored now of `text`, a line that goes on in the next
 * piece: all but the last `window` characters (the longest secret's length
 * minus one), and past any secret that straddles that point, so no secret is
 * stored in two halves. What is held back goes in front of the next piece.
 */
export function windowCut(text: string, secrets: readonly string[], window: number): number {
  let cut = Math.max(0, text.length - window);
  for (let moved = true; moved; ) {
    moved = false;
    for (const secret of secrets) {
      const at = text.indexOf(secret, Math.max(0, cut - secret.length + 1));
      if (at !== -1 && at < cut) {
        cut = at + secret.length;
        moved = true;
      }
    }
  }
  return cut;
}
