/**
 * The exclusive lock on the state directory: only one core may open pms.bin
 * for writing. Without it, a second core started by mistake would run the
 * start-up recovery on a file the first one is writing, and could cut off
 * records it believes torn. The lock is an flock on `core.lock`, released by
 * the kernel when the process ends, however it ends.
 *
 * @module
 */

/** Raised when another process holds the lock. */
export class StateLockedError extends Error {
  override name = "StateLockedError";
}

/**
 * Takes the lock, or fails at once when another process holds it.
 *
 * @param path the lock file, e.g. `state_dir/core.lock`
 * @param waitMs how long to wait for the lock before giving up
 * @returns the open lock file; keep it open for the life of the process
 * @throws {StateLockedError} when the lock is held elsewhere
 */
export async function lockStateDir(path: string, waitMs = 500): Promise<Deno.FsFile> {
  const file = await Deno.open(path, { read: true, write: true, create: true });
  // Deno has no non-blocking flock; a lock not granted soon means another
  // holder. The pending request dies with this process.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const granted = await Promise.race([
    file.lock(true).then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
  ]);
  clearTimeout(timer);
  if (!granted) {
    // The lock request is still pending in a worker thread: it would be
    // granted later, so this process must give up on the directory (core
    // exits on this error).
    throw new StateLockedError(
      `Cannot lock ${path}: another core is running on this state directory`,
    );
  }
  return file;
}
