/**
 * A .tar.gz of a few in-memory files, written with Node alone (zlib + the POSIX ustar header):
 * the diagnostics bundle is a handful of small text files, so an archive dependency would add
 * more code than it saves, and every OS unpacks .tar.gz (tar, Explorer since Windows 11, Finder).
 */
import { gzipSync } from 'node:zlib';

export interface ArchiveFile {
  /** A relative path of ASCII characters, at most 100 bytes. */
  name: string;
  content: string | Buffer;
}

const BLOCK = 512;

export function tarGz(files: readonly ArchiveFile[], mtime: number = Date.now()): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    const body = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : file.content;
    parts.push(header(file.name, body.length, Math.floor(mtime / 1000)), body, Buffer.alloc(padding(body.length)));
  }
  // Two empty blocks end the archive.
  parts.push(Buffer.alloc(BLOCK * 2));
  return gzipSync(Buffer.concat(parts));
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function header(name: string, size: number, mtimeSeconds: number): Buffer {
  if (!/^[\x20-\x7e]+$/.test(name) || name.length > 100) throw new Error(`archive entry name "${name}" must be printable ASCII of at most 100 bytes`);
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'ascii');
  block.write(octal(0o644, 8), 100, 'ascii');
  block.write(octal(0, 8), 108, 'ascii');
  block.write(octal(0, 8), 116, 'ascii');
  block.write(octal(size, 12), 124, 'ascii');
  block.write(octal(mtimeSeconds, 12), 136, 'ascii');
  block.write('        ', 148, 'ascii');
  block.write('0', 156, 'ascii');
  block.write('ustar\u000000', 257, 'ascii');
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148, 'ascii');
  return block;
}

/** A zero-padded octal field ending in NUL. */
function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\u0000`;
}
