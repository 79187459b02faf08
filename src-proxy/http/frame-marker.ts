/**
 * Whether a streamed frame holds a marker (`data: [DONE]`, `"usage":{`, `{"error"`), found by a
 * one-byte search for the marker's rarest byte and a compare around each hit. A substring search
 * (`Buffer#indexOf(Buffer)`) costs ~0.2 µs to call on a frame of a few hundred bytes, and a tap
 * asks for three markers on every frame of every fast-path stream; a one-byte search is ~20 ns.
 */
export interface FrameMarker {
  readonly bytes: Buffer;
  /** The index in `bytes` of the byte searched for (a byte frames seldom hold: `[`, `{`). */
  readonly pivot: number;
}

export function frameMarker(text: string, pivot: string): FrameMarker {
  const bytes = Buffer.from(text);
  const at = bytes.indexOf(pivot);
  if (at === -1 || pivot.length !== 1) throw new Error(`frameMarker: ${pivot} is not a byte of ${text}`);
  return { bytes, pivot: at };
}

/** True when `frame` holds the marker's bytes anywhere (the same answer as `frame.indexOf(bytes) !== -1`). */
export function holds(frame: Buffer, marker: FrameMarker): boolean {
  return find(frame, marker, false);
}

/**
 * True when `frame` holds the marker as a whole line: at the frame's start or after a line feed,
 * and followed by the frame's end or a line break. A stream's own `data: [DONE]` is such a line;
 * the same words inside an answer's text are not (a JSON string cannot hold a raw line break), so
 * an answer that quotes them does not end its stream.
 */
export function holdsLine(frame: Buffer, marker: FrameMarker): boolean {
  return find(frame, marker, true);
}

const LF = 0x0a;
const CR = 0x0d;

function find(frame: Buffer, marker: FrameMarker, wholeLine: boolean): boolean {
  const { bytes, pivot } = marker;
  const byte = bytes[pivot]!;
  const tail = bytes.length - pivot;
  let at = frame.indexOf(byte, pivot);
  while (at !== -1 && at + tail <= frame.length) {
    const start = at - pivot;
    const end = start + bytes.length;
    if (!wholeLine || ((start === 0 || frame[start - 1] === LF) && (end === frame.length || frame[end] === LF || frame[end] === CR))) {
      let i = 0;
      while (i < bytes.length && frame[start + i] === bytes[i]) i++;
      if (i === bytes.length) return true;
    }
    at = frame.indexOf(byte, at + 1);
  }
  return false;
}
