/**
 * Untrusted files read in bounded pieces: `openRegularFile` refuses anything but a regular file
 * (a directory, a FIFO that would block, /dev/zero that never ends, a socket) before a byte is
 * read, and `readExactly` reads one byte range at a position (pread), so a caller reads a
 * checkpoint's small header first and only then the parts it needs. Errors are CliErrors naming
 * the path.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { fileProblem } from '../core/checkpoint/checkpointFormatError';
import { CliError } from './cliError';

/** An open regular file and its size at opening. */
export interface OpenFile {
  fd: number;
  size: number;
}

const kindOf = (st: Stats): string =>
  st.isDirectory() ? 'a directory' : st.isFIFO() ? 'a named pipe' : st.isCharacterDevice() ? 'a character device' : st.isBlockDevice() ? 'a block device' : st.isSocket() ? 'a socket' : 'not a regular file';

/**
 * Opens `path` for reading and checks (on the open descriptor, so a swapped path cannot slip by)
 * that it is a regular file. O_NONBLOCK keeps the open of a FIFO from waiting for a writer.
 * `what` names the file in messages ("The checkpoint").
 */
export function openRegularFile(path: string, what: string): OpenFile {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${what} ${path} does not exist.`, 'Check the path; checkpoints are the .safetensors files that `train`, `resume` or the browser\'s export write.');
    if (code === 'EISDIR') throw new CliError(`${path} is a directory, not a checkpoint file.`, 'Name the .safetensors file inside it.');
    throw new CliError(`${what} ${path} cannot be read (${e instanceof Error ? e.message : String(e)}).`, 'Check the file permissions.');
  }
  const st = fstatSync(fd);
  if (!st.isFile()) {
    closeSync(fd);
    if (st.isDirectory()) throw new CliError(`${path} is a directory, not a checkpoint file.`, 'Name the .safetensors file inside it.');
    throw new CliError(`${path} is ${kindOf(st)}, not a checkpoint file, so it was not read.`, 'Name the .safetensors file itself; pipes, devices and sockets are not read.');
  }
  return { fd, size: st.size };
}

/** Reads exactly `length` bytes at `position` into a new array (its own buffer, so aligned). */
export function readExactly(file: OpenFile, position: number, length: number, source: string): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(file.fd, out, done, length - done, position + done);
    if (n === 0) throw fileProblem(source, 'cutOff', `the file ended at byte ${position + done} while bytes up to ${position + length} were read (it shrank while it was read?)`);
    done += n;
  }
  return out;
}
