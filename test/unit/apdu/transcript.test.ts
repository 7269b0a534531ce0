import { describe, expect, it } from 'vitest';
import { parseTranscript, formatTranscript } from '../../../src/apdu/transcript.js';
import { TranscriptReplayer, verifyTranscript } from '../../../src/apdu/transcript-replayer.js';
import { fromHex, toHex } from '../../../src/core/hex.js';

const text = `# a comment
=> 00A4 0400 0F 7378312E73682EC9E7BBE1B1A3D5CF   # select SSSE
<= 611E
=> 0020000003******
<= 63C2
`;

describe('transcripts', () => {
  it('parses and formats', () => {
    const ex = parseTranscript(text, 't');
    expect(ex).toEqual([
      { command: '00A404000F7378312E73682EC9E7BBE1B1A3D5CF', response: '611E', line: 2 },
      { command: '0020000003******', response: '63C2', line: 4 },
    ]);
    expect(formatTranscript(ex, ['h'])).toBe('# h\n=> 00A404000F7378312E73682EC9E7BBE1B1A3D5CF\n<= 611E\n=> 0020000003******\n<= 63C2\n');
  });
  it.each([
    ['=> 00A4\n', /at least 4 bytes/],
    ['<= 9000\n', /response without a command/],
    ['=> 00A40400\n=> 00A40400\n', /two commands in a row/],
    ['=> 00A40400\n<= 90\n', /ending in a status word/],
    ['hello\n', /starting with => or <=/],
    ['=> 00A40400\n', /has no response/],
  ])('rejects bad transcript %#', (bad, msg) => {
    expect(() => parseTranscript(bad, 'bad.transcript')).toThrow(msg);
  });
  it('replays strictly, masked commands included', async () => {
    const r = new TranscriptReplayer(parseTranscript(text), 'x.transcript');
    expect(toHex(await r.transmit(fromHex('00A404000F7378312E73682EC9E7BBE1B1A3D5CF')))).toBe('611E');
    expect(r.remaining).toBe(1);
    expect(() => r.assertComplete()).toThrow(/1 exchange\(s\) not played/);
    expect(toHex(await r.transmit(fromHex('0020000003999999')))).toBe('63C2');
    await expect(r.transmit(fromHex('00A40000'))).rejects.toMatchObject({ code: 'TRANSCRIPT_EXHAUSTED' });
  });
  it('names the line, expected and actual on mismatch', async () => {
    const r = new TranscriptReplayer(parseTranscript(text), 'x.transcript');
    await expect(r.transmit(fromHex('00A40000'))).rejects.toThrow('x.transcript:2: expected => 00A404000F7378312E73682EC9E7BBE1B1A3D5CF, got => 00A40000');
  });
  it('verifies a card against a transcript byte for byte', async () => {
    const ex = parseTranscript('=> 00B2010400\n<= 6C05\n');
    await expect(verifyTranscript(ex, { transmit: async () => fromHex('6C05') })).resolves.toBeUndefined();
    await expect(verifyTranscript(ex, { transmit: async () => fromHex('6C06') })).rejects.toThrow(/expected <= 6C05, card answered <= 6C06/);
  });
});
