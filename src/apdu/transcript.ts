import { ApduError } from './apdu-error.js';

/**
 * Text transcripts (docs/architecture.md "Conventions", ledgerjs style): `=> command hex` then `<= response hex`,
 * `#` comments, blank lines ignored, hex may contain spaces. Masked PIN bytes are `**`.
 */
export interface TranscriptExchange {
  /** Upper-case hex without spaces; may contain `**` for masked bytes. */
  readonly command: string;
  readonly response: string;
  /** 1-based line of the `=>` line, for error messages. */
  readonly line: number;
}

const CMD_RE = /^([0-9A-F]{2}|\*\*)+$/;
const RSP_RE = /^([0-9A-F]{2})*[0-9A-F]{4}$/;

export function parseTranscript(text: string, source = 'transcript'): TranscriptExchange[] {
  const out: TranscriptExchange[] = [];
  let pending: { command: string; line: number } | undefined;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const where = `${source}:${lineNo}`;
    const m = /^(=>|<=)\s*(.*)$/.exec(line);
    if (!m) throw new ApduError('BAD_TRANSCRIPT', `${where}: expected a line starting with => or <=`);
    const hex = m[2]!.replace(/\s+/g, '').toUpperCase();
    if (m[1] === '=>') {
      if (pending) throw new ApduError('BAD_TRANSCRIPT', `${where}: two commands in a row (the one on line ${pending.line} has no response)`);
      if (!CMD_RE.test(hex) || hex.length < 8) throw new ApduError('BAD_TRANSCRIPT', `${where}: command is not hex of at least 4 bytes`);
      pending = { command: hex, line: lineNo };
    } else {
      if (!pending) throw new ApduError('BAD_TRANSCRIPT', `${where}: response without a command before it`);
      if (!RSP_RE.test(hex)) throw new ApduError('BAD_TRANSCRIPT', `${where}: response is not hex of whole bytes ending in a status word`);
      out.push({ command: pending.command, response: hex, line: pending.line });
      pending = undefined;
    }
  });
  if (pending) throw new ApduError('BAD_TRANSCRIPT', `${source}:${pending.line}: last command has no response`);
  return out;
}

export function formatTranscript(exchanges: readonly Pick<TranscriptExchange, 'command' | 'response'>[], header: string[] = []): string {
  const lines = header.map((h) => `# ${h}`);
  for (const e of exchanges) lines.push(`=> ${e.command}`, `<= ${e.response}`);
  return `${lines.join('\n')}\n`;
}
