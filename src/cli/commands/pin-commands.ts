import type { Command } from 'commander';
import type { PinBuffer } from '../../core/pin-buffer.js';
import type { PinStatus } from '../../service/domain-types.js';
import { PinError, pinLengthPolicy, type PinLengthPolicy } from '../../service/pin-rules.js';
import { addTargetOptions, out } from '../cli-context.js';
import { addKeyOptions, targetOf, withOperations, type CliOperationOptions } from '../cli-operations.js';
import { CliError } from '../cli-error.js';
import { readPins } from '../pin-entry.js';

/**
 * `sscard pin status|verify|change|reset|unblock` (docs/pin.md "CLI"). PINs come from a no-echo
 * TTY prompt or, with --pin-stdin, one per line from stdin — never from an argument.
 */
interface PinOpts extends CliOperationOptions {
  pinStdin?: boolean;
  confirmLastTry?: boolean;
  pinLength?: string;
  /** `--no-pin-policy` (reset only): allow the issuer's initial PIN. */
  pinPolicy?: boolean;
}

const COUNTER = '[counter operation]';

export function registerPinCommands(program: Command): void {
  const pin = program.command('pin').description('the social PIN (社保密码): status, verify, change; reset and unblock at a service counter');

  addTargetOptions(pin.command('status'))
    .description('show the PIN try status (spends no try)')
    .option('--json', 'print JSON')
    .action((o: PinOpts) =>
      withOperations(o, { status: 'none' }, async (ops) => {
        const { reader, pin: s } = await ops.pinStatus(targetOf(o));
        print(o, { operation: 'status', reader, ...s }, statusText(s));
      }),
    );

  pinOptions(addTargetOptions(pin.command('verify')))
    .description('verify the social PIN (one PIN on the prompt or stdin)')
    .action((o: PinOpts) =>
      withPins(['PIN'], o, ([p]) => {
        const policy = policyOf(o); // bad --pin-length: refused before the card is touched
        return withOperations(o, { status: 'required' }, async (ops) => {
          const { reader } = await ops.pinVerify({ target: targetOf(o), pin: p!, policy, confirmLastTry: o.confirmLastTry });
          print(o, { operation: 'verify', reader, result: 'done', status: 'verified' }, 'PIN verified.');
        });
      }),
    );

  addKeyOptions(pinOptions(addTargetOptions(pin.command('change'))), false)
    .description('change the social PIN (old PIN, then new PIN twice); --keys lets a 3.0 card show the birth date for the PIN policy')
    .action((o: PinOpts) =>
      withPins(['old PIN', 'new PIN', 'new PIN again'], o, ([oldPin, newPin, again]) => {
        // typing and policy flags are checked before the card is touched
        sameNew(newPin!, again!);
        const policy = policyOf(o);
        return withOperations(o, { status: 'required' }, async (ops) => {
          const r = await ops.pinChange({ target: targetOf(o), oldPin: oldPin!, newPin: newPin!, policy, confirmLastTry: o.confirmLastTry });
          print(o, { operation: 'change', reader: r.reader, result: 'done', status: 'changed', birthDateChecked: r.birthDateChecked }, 'PIN changed.');
        });
      }),
    );

  counterOptions(addKeyOptions(pinOptions(addTargetOptions(pin.command('reset'))), true))
    .description(`${COUNTER} PIN RELOAD: set a new PIN and reset the try counter (new PIN twice); PUK key`)
    .option('--no-pin-policy', "skip the new-PIN policy (to set the issuer's initial PIN, e.g. 123456); the format is still checked")
    .action((o: PinOpts) =>
      withPins(['new PIN', 'new PIN again'], o, ([newPin, again]) => {
        sameNew(newPin!, again!);
        const policy = policyOf(o);
        return withOperations(o, { status: 'required' }, async (ops) => {
          // the audit row is written before "done" is printed
          const { reader } = await ops.pinReset({ target: targetOf(o), newPin: newPin!, policy, enforcePolicy: o.pinPolicy !== false });
          print(o, { operation: 'reset', reader, result: 'done', status: 'reloaded', counterOnly: true }, `${COUNTER} PIN reset: new PIN set, try counter reset.`);
        });
      }),
    );

  counterOptions(addKeyOptions(addTargetOptions(pin.command('unblock')), true))
    .description(`${COUNTER} PIN UNBLOCK: reset the try counter, PIN unchanged; PUK key`)
    .option('--json', 'print JSON')
    .action((o: PinOpts) =>
      withOperations(o, { status: 'required' }, async (ops) => {
        const { reader } = await ops.pinUnblock({ target: targetOf(o) });
        print(o, { operation: 'unblock', reader, result: 'done', status: 'unblocked', counterOnly: true }, `${COUNTER} PIN unblocked: try counter reset, PIN unchanged.`);
      }),
    );
}

function pinOptions(cmd: Command): Command {
  return cmd
    .option('--pin-stdin', 'read the PIN(s) from stdin, one per line (no terminal prompt)')
    .option('--confirm-last-try', 'go on even when only one PIN try is left')
    .option('--pin-length <n>', 'PIN length policy: N or MIN-MAX within 4-16 (default $SSCARD_PIN_LENGTH or 6)')
    .option('--json', 'print JSON');
}

export function counterOptions(cmd: Command): Command {
  return cmd
    .option('--site <site>', 'this counter, `<6-digit region code>-<name>` (default $SSCARD_SITE or the config file)')
    .option('--operator <id>', 'operator id (default $SSCARD_OPERATOR or the config file)');
}

export function policyOf(o: { pinLength?: string }): PinLengthPolicy {
  const raw = o.pinLength ?? process.env.SSCARD_PIN_LENGTH ?? '6';
  const m = /^([0-9]{1,2})(?:-([0-9]{1,2}))?$/.exec(raw);
  if (!m) throw new CliError('BAD_ARGUMENT', `--pin-length must be N or MIN-MAX, got "${raw}"`);
  try {
    return pinLengthPolicy(Number(m[1]), m[2] === undefined ? undefined : Number(m[2]));
  } catch (e) {
    if (e instanceof PinError) throw new CliError('BAD_ARGUMENT', `--pin-length: ${e.message}`);
    throw e;
  }
}

/** Reads the PINs, runs `fn`, and wipes every PinBuffer afterwards (also on errors). */
async function withPins(labels: readonly string[], o: PinOpts, fn: (pins: PinBuffer[]) => Promise<void>): Promise<void> {
  const pins = await readPins(labels, o);
  try {
    await fn(pins);
  } finally {
    for (const p of pins) p.wipe();
  }
}

function sameNew(a: PinBuffer, b: PinBuffer): void {
  const x = a.copyAscii();
  const y = b.copyAscii();
  const same = x.length === y.length && x.every((v, i) => v === y[i]);
  x.fill(0);
  y.fill(0);
  if (!same) throw new PinError('PIN_FORMAT', 'the two entries of the new PIN differ', { which: 'new' });
}

function statusText(s: PinStatus): string {
  if (s.state === 'blocked') return 'PIN status: BLOCKED (a PIN reset or unblock at a service counter is needed)';
  if (s.triesLeft === null) return 'PIN status: active (already verified in this session; the card did not report the tries left)';
  return `PIN status: active, ${s.triesLeft} tr${s.triesLeft === 1 ? 'y' : 'ies'} left${s.triesLeft === 1 ? ' (LAST TRY: a wrong PIN blocks it)' : ''}`;
}

export function print(o: { json?: boolean }, json: Record<string, unknown>, text: string): void {
  out(o.json ? JSON.stringify(json, null, 2) : text);
}
