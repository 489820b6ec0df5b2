/**
 * The long-running children of `dev` (`func start`, `awps-tunnel`, `awps-emulator`): each in a process group of its
 * own, its output prefixed with its name, stopped together.
 *
 * Why process groups: `func start` runs the Node worker (and `awps-tunnel` may run helpers) as children of its own;
 * signalling only the direct child can leave those behind, holding the port. Each child is started `detached` (its own
 * group on POSIX, https://nodejs.org/api/child_process.html#optionsdetached) and stopped by signalling the whole group
 * (`kill(-pid)`): SIGTERM first, SIGKILL after a grace period. A Ctrl-C in the terminal reaches only `dev` (the
 * children are in other groups), which then stops them in that order, so nothing is left running.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';

/** Time a child gets to exit after SIGTERM before its group gets SIGKILL. */
export const STOP_GRACE_MS = 5000;

export interface ChildSpec {
  /** Short name for output prefixes and messages, e.g. `func`, `tunnel chat`. */
  readonly name: string;
  /** Executable (a full path, as found on PATH). */
  readonly file: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Variables of `env` the user must set to run the command by hand (shown before it). */
  readonly shownEnv?: Readonly<Record<string, string>>;
}

interface Running {
  readonly spec: ChildSpec;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

/** The children of one `dev` run. */
export class DevChildren {
  private readonly running = new Map<string, Running>();
  private stopping = false;
  private unexpectedExit?: (name: string, code: number | null) => void;

  public constructor(private readonly log: (line: string) => void) {}

  /** Called once when a child exits that was not asked to stop. */
  public onUnexpectedExit(handler: (name: string, code: number | null) => void): void {
    this.unexpectedExit = handler;
  }

  public start(spec: ChildSpec): void {
    const child = spawn(spec.file, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once('error', (err) => {
        this.log(`${spec.name}: could not start ${spec.file}: ${err.message}`);
        resolve(null);
      });
      child.once('exit', (code, signal) => resolve(code ?? (signal ? null : 0)));
    });
    this.prefixLines(child.stdout, spec.name);
    this.prefixLines(child.stderr, spec.name);
    const entry: Running = { spec, child, exited };
    this.running.set(spec.name, entry);
    void exited.then((code) => {
      if (this.running.get(spec.name) !== entry) return;
      this.running.delete(spec.name);
      if (!this.stopping && this.unexpectedExit) this.unexpectedExit(spec.name, code);
    });
  }

  /** Names of the children still running. */
  public names(): string[] {
    return [...this.running.keys()];
  }

  /** Stops one child (its whole group) and waits for it. */
  public async stopOne(name: string, graceMs = STOP_GRACE_MS): Promise<void> {
    const entry = this.running.get(name);
    if (!entry) return;
    this.running.delete(name);
    await stopGroup(entry, graceMs);
  }

  /** Stops every child (SIGTERM to each group, SIGKILL after `graceMs`) and waits until all exited. */
  public async stopAll(graceMs = STOP_GRACE_MS): Promise<void> {
    this.stopping = true;
    const entries = [...this.running.values()];
    this.running.clear();
    await Promise.all(entries.map((e) => stopGroup(e, graceMs)));
  }

  private prefixLines(stream: NodeJS.ReadableStream | null, name: string): void {
    if (!stream) return;
    let pending = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split(/\r?\n/);
      pending = lines.pop() ?? '';
      for (const line of lines) this.log(`[${name}] ${line}`);
    });
    stream.on('end', () => {
      if (pending !== '') this.log(`[${name}] ${pending}`);
      pending = '';
    });
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Whether any process of group `pgid` still runs. On Linux, from /proc (a member that exited but was not reaped yet,
 * a zombie, does not count: a container's init may never reap it); elsewhere `kill(-pgid, 0)`.
 */
function groupRunning(pgid: number): boolean {
  if (process.platform === 'linux') {
    try {
      for (const name of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(name)) continue;
        let stat: string;
        try {
          stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        } catch {
          continue;
        }
        // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') return true;
      }
      return false;
    } catch {
      // no /proc: fall through
    }
  }
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(entry: Running, graceMs: number): Promise<void> {
  const { child } = entry;
  const deadline = Date.now() + graceMs;
  if (child.exitCode === null && child.signalCode === null) signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      signalGroup(child, 'SIGKILL');
      resolve();
    }, graceMs);
  });
  await Promise.race([entry.exited, killed]);
  await entry.exited;
  clearTimeout(timer);
  // The child is gone; what it started in its group (func's worker) got the same SIGTERM and may still be shutting
  // down: it gets the rest of the grace period, then SIGKILL.
  if (process.platform === 'win32' || child.pid === undefined) return;
  while (groupRunning(child.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (groupRunning(child.pid)) signalGroup(child, 'SIGKILL');
}
