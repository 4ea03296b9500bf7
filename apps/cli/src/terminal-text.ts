/**
 * Text from the platform (build output, app logs, error messages) made safe to
 * print on the operator's terminal. A build or an app controls those bytes: with
 * escape sequences it could write the clipboard (OSC 52), retitle the window,
 * show a link whose target differs from its text (OSC 8), move the cursor over
 * earlier output or query the terminal. Only colours and styles (SGR,
 * `ESC [ … m`) are kept; tab and newline stay.
 *
 * A carriage return becomes a newline (a trailing one, of CRLF, is dropped): on
 * a terminal it moves back to the start of the line, so later text would hide
 * earlier text. As a newline nothing printed is hidden, and progress bars that
 * redraw with it still read as one step per line.
 */

// Each alternative is one whole sequence, matched from its introducer:
const sequences = new RegExp(
  [
    // OSC, DCS, SOS, PM, APC (7-bit and C1 forms): a string up to BEL or ST; as on a terminal,
    // another ESC ends it too (and starts the next sequence), and one never ended runs to the end.
    String.raw`(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?`,
    // CSI (7-bit and C1): parameters, intermediates, and a final byte (missing when cut short).
    String.raw`(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?`,
    // Any other escape: ESC, intermediates, a final byte; or a bare ESC.
    String.raw`\x1b[\x20-\x2f]*[\x30-\x7e]?`,
  ].join('|'),
  'g',
);
/** Select Graphic Rendition: colours and styles, the one sequence kept. */
// eslint-disable-next-line no-control-regex -- matching terminal control bytes is the point
const sgr = /^\x1b\[[0-9;:]*m$/;
/**
 * C0 controls but tab and newline, DEL, and C1 controls left once the sequences
 * are gone; ESC is not among them, as every ESC left starts a kept SGR.
 */
// eslint-disable-next-line no-control-regex -- matching terminal control bytes is the point
const controls = /[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]/g;

export function terminalSafe(text: string): string {
  return text
    .replace(sequences, (seq) => (sgr.test(seq) ? seq : ''))
    .replace(/\r+$/, '')
    .replace(/\r\n?/g, '\n')
    .replace(controls, '');
}
