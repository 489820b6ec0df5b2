/**
 * `dev`: the app's handlers on this machine. Prepares the synthesized code package as a Functions project
 * (./dev-project.ts), writes its local.settings.json (./dev-settings.ts), then runs, from PATH, `func start` and either
 * one `awps-tunnel` per development-tunnel hub (events from the deployed service) or, with `--emulator`, the Web PubSub
 * emulator (no Azure at all). One progress line per step; a tool that is not installed is reported with its install
 * command and the exact command line to run. Ctrl-C (SIGINT) or SIGTERM stops every child (./child-processes.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DeploymentManifest, ManifestFunctionApp } from '../../common/manifest-schema';
import { CliError, DeploymentOutputs, loadManifest, pickByPath, preferStack, resolveValue } from '../deployment-inputs';
import { bareHostName, checkHostName } from '../host-name';
import { hostnames, LOCAL_SETTINGS_FILE, writeFileAtomic } from '../local-settings';
import { withoutCredentials } from './child-environment';
import { ChildSpec, DevChildren } from './child-processes';
import { AWPS_EMULATOR, AWPS_TUNNEL, commandLine, findOnPath, FUNC, funcArgs, INSTALL_HINTS, tunnelArgs } from './dev-tools';
import { DEV_DIRECTORY, devProjectDir, ensureDevRoot, prepareProject, PreparedProject } from './dev-project';
import { devLocalSettings, DevSettingsMode, readUserLocalSettings } from './dev-settings';
import { waitForEmulator } from './emulator-health';
import { emulatorAppSettings, EMULATOR_DEFAULT_PORT } from './emulator-settings';
import { defaultSynthCommand, runSynth, watchSources } from './synth-watch';

/** Default port of `func start` (Core Tools' default). */
export const DEFAULT_FUNC_PORT = 7071;

/** Time the emulator gets to answer its health check. */
export const EMULATOR_START_TIMEOUT_MS = 60_000;

export interface DevOptions {
  readonly stack?: string;
  readonly manifestFile?: string;
  readonly outputsFile?: string;
  readonly functionApp?: string;
  readonly webPubSubHostname?: string;
  /** Use the local Web PubSub emulator instead of the deployed service. @default false */
  readonly emulator?: boolean;
  /** `func start --port`. @default 7071 */
  readonly port?: number;
  /** The emulator's port (its `Urls`). @default 8080 */
  readonly emulatorPort?: number;
  /** Keep the tunnel tool's web view (one port per hub from 8071 on). @default false */
  readonly webview?: boolean;
  /** Rebuild (re-synthesize) on change and restart `func`. @default false */
  readonly watch?: boolean;
  /** @default - cdktf.json's `app` */
  readonly synthCommand?: string;
  /**
   * Hand the children the service-principal variables of this shell (`AZURE_CLIENT_*`, `ARM_CLIENT_*`, ...), so the
   * local functions and the tunnel sign in as that principal instead of your `az login`.
   * @default false
   */
  readonly passCredentials?: boolean;
  /** Prepare the files and print the commands, start nothing. @default false */
  readonly prepareOnly?: boolean;
  /** @default process.cwd() */
  readonly cwd?: string;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** Where tools are looked up (PATH). @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** What a run prepared (for tests and the caller). */
export interface DevResult {
  readonly exitCode: number;
  readonly project: PreparedProject;
}

interface Setup {
  readonly manifest: DeploymentManifest;
  readonly manifestFile: string;
  readonly app: ManifestFunctionApp;
  readonly projectDir: string;
  readonly outDir: string;
}

function loadSetup(options: DevOptions, cwd: string): Setup {
  const { manifest, file, layout } = loadManifest({ stack: options.stack, manifestFile: options.manifestFile, cwd });
  const app = pickByPath(preferStack(manifest.functionApps, manifest.stack), options.functionApp, 'Function App', '--function-app');
  return { manifest, manifestFile: file, app, projectDir: layout.projectDir, outDir: layout.outDir };
}

/** Runs `dev` until Ctrl-C (or a child exits); resolves with the exit code. */
export async function dev(options: DevOptions = {}): Promise<DevResult> {
  const cwd = options.cwd ?? process.cwd();
  const log = options.log ?? ((line: string) => console.log(line));
  const env = options.env ?? process.env;
  const emulator = options.emulator === true;
  const port = options.port ?? DEFAULT_FUNC_PORT;
  const emulatorPort = options.emulatorPort ?? EMULATOR_DEFAULT_PORT;
  const step = (text: string): void => log(`dev: ${text}`);

  // The children sign in as the developer's az login, not as a service principal this shell may hold.
  const credentials = options.passCredentials === true ? { env: process.env, removed: [] } : withoutCredentials(process.env);
  const childEnv = credentials.env;
  let setup = loadSetup(options, cwd);
  step(`stack ${setup.manifest.stack}, Function App ${setup.app.path}${emulator ? ', against the local Web PubSub emulator' : ', against the deployed Web PubSub service'}`);
  const outputsFile = options.outputsFile !== undefined ? path.resolve(cwd, options.outputsFile) : path.join(setup.projectDir, 'outputs.json');
  const readOutputs = (): DeploymentOutputs | undefined => DeploymentOutputs.read(outputsFile, options.outputsFile !== undefined);
  const outputs = emulator && options.outputsFile === undefined ? undefined : readOutputs();

  if (credentials.removed.length > 0) {
    step(`not passing ${credentials.removed.join(', ')} to func and the tools: they sign in as your az login (--pass-credentials to pass them)`);
  }
  ensureDevRoot(setup.projectDir);
  const dir = devProjectDir(setup.projectDir, setup.manifest.stack, setup.app.path);
  const shown = (p: string): string => path.relative(cwd, p) || '.';
  const userSettingsFile = (): string | undefined => {
    const recorded = setup.app.code?.projectDir;
    return recorded != null && !path.isAbsolute(recorded) && !recorded.split('/').includes('..') ? path.join(setup.projectDir, recorded, LOCAL_SETTINGS_FILE) : undefined;
  };

  // Settings that do not change on rebuild: the connection mode.
  let mode: DevSettingsMode;
  if (emulator) {
    const prefixes = setup.app.connections.length > 0 ? [...new Set(setup.app.connections.map((c) => c.prefix))] : ['WebPubSubConnectionString'];
    mode = { kind: 'emulator', prefixes, port: emulatorPort };
  } else {
    mode = { kind: 'tunnel', connections: hostnames(setup.app, setup.manifest.services, outputs, options.webPubSubHostname) };
  }

  const prepare = (): PreparedProject => {
    const project = prepareProject(setup.manifestFile, setup.app, dir);
    step(`prepared ${shown(dir)} from the synthesized package ${setup.app.code?.packagePath} (${project.files.length} files; host.json, package.json main ${project.main})`);
    const userFile = userSettingsFile();
    const settings = devLocalSettings(mode, setup.app.defaultHubName, userFile ? readUserLocalSettings(userFile, log) : undefined);
    writeFileAtomic(path.join(dir, LOCAL_SETTINGS_FILE), `${JSON.stringify(settings, null, 2)}\n`);
    const keys = Object.keys(settings.Values ?? {}).filter((k) => mode.kind === 'tunnel' ? k.endsWith(':serviceUri') : (mode.kind === 'emulator' && mode.prefixes.includes(k)));
    step(`wrote ${shown(path.join(dir, LOCAL_SETTINGS_FILE))} (${keys.join(', ')}${mode.kind === 'tunnel' ? ': identity-based, your az login; no key' : ': the emulator connection string'})`);
    return project;
  };
  let project = prepare();

  // What runs besides func.
  const others: ChildSpec[] = [];
  let emulatorSpec: ChildSpec | undefined;
  if (emulator) {
    const emulatorDir = path.join(setup.projectDir, DEV_DIRECTORY, setup.manifest.stack, 'emulator');
    fs.mkdirSync(emulatorDir, { recursive: true, mode: 0o700 });
    const { settings, skipped } = emulatorAppSettings(setup.app, setup.manifest.services, port, outputs);
    writeFileAtomic(path.join(emulatorDir, 'appsettings.json'), `${JSON.stringify(settings, null, 2)}\n`);
    for (const line of skipped) log(`warning: ${line}`);
    const hubs = Object.entries(settings.WebPubSub.Hubs);
    step(`wrote ${shown(path.join(emulatorDir, 'appsettings.json'))}: ${hubs.map(([h, s]) => `hub ${h} → ${s.EventHandlers.map((e) => e.UrlTemplate).join(', ') || 'no handler'}`).join('; ') || 'no hubs'}`);
    // The emulator listens where its ASP.NET Core `Urls` setting says (README "Configure the endpoint and access key").
    const urls = { Urls: `http://localhost:${emulatorPort}` };
    emulatorSpec = { name: 'emulator', file: AWPS_EMULATOR, args: [], cwd: emulatorDir, env: { ...childEnv, ...urls }, shownEnv: emulatorPort === EMULATOR_DEFAULT_PORT ? undefined : urls };
  } else {
    const tunnels = tunnelHubs(setup.manifest, setup.app, outputs, options.webPubSubHostname);
    if (tunnels.length === 0) {
      log(
        `warning: no hub of stack ${setup.manifest.stack} sends its events to ${setup.app.path} through the tunnel, so the deployed service keeps calling the deployed app: ` +
          'set `developmentTunnel: true` on a hub (or use `EventHandler.tunnel(app)`) in a development stack, deploy it, and run dev again; dev starts func only',
      );
    }
    tunnels.forEach((t, i) => {
      others.push({ name: `tunnel ${t.hub}`, file: AWPS_TUNNEL, args: tunnelArgs(t.hub, t.host, port, options.webview ? { port: port + 1000 + i } : undefined), cwd: dir, env: childEnv });
      step(`hub ${t.hub} of ${t.host} is tunnelled to http://localhost:${port}`);
    });
  }
  const funcSpec = (): ChildSpec => ({ name: 'func', file: FUNC, args: funcArgs(port), cwd: dir, env: childEnv });

  // Which tools are installed.
  const resolved = new Map<string, string | undefined>();
  const resolve = (spec: ChildSpec): ChildSpec | undefined => {
    if (!resolved.has(spec.file)) resolved.set(spec.file, findOnPath(spec.file, env));
    const file = resolved.get(spec.file);
    return file ? { ...spec, file } : undefined;
  };
  const all = [...(emulatorSpec ? [emulatorSpec] : []), funcSpec(), ...others];
  const missing = all.filter((s) => resolve(s) === undefined);
  for (const spec of missing) {
    step(`${spec.file} is not on PATH: ${INSTALL_HINTS[spec.file]}; then run, in ${shown(spec.cwd)}: ${typed(spec)}`);
  }
  if (options.prepareOnly === true || missing.length === all.length) {
    if (options.prepareOnly === true) for (const spec of all.filter((s) => !missing.includes(s))) step(`to run: in ${shown(spec.cwd)}: ${typed(spec)}`);
    step(options.prepareOnly === true ? 'prepared (--prepare-only): nothing started' : 'nothing to start: install the tools above or run the commands printed');
    return { exitCode: 0, project };
  }

  const children = new DevChildren(log);
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((r) => (finish = r));
  let stopping = false;
  const stop = async (reason: string, code: number, graceMs?: number): Promise<void> => {
    if (stopping) return;
    stopping = true;
    step(`${reason}: stopping ${children.names().join(', ') || 'nothing'}`);
    await children.stopAll(graceMs);
    step('stopped');
    finish(code);
  };
  children.onUnexpectedExit((name, code) => void stop(`${name} exited${code === null ? '' : ` with code ${code}`}`, 1));
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    // A second Ctrl-C does not wait for the grace period.
    if (signals > 1) {
      step(`${signal} again: killing`);
      void children.stopAll(0);
      return;
    }
    void stop(`${signal} received`, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const startChild = (spec: ChildSpec): boolean => {
    const ready = resolve(spec);
    if (!ready) return false;
    step(`starting ${spec.name}: ${commandLine(path.basename(ready.file), ready.args)}`);
    children.start(ready);
    return true;
  };

  let stopWatching: (() => void) | undefined;
  try {
    if (emulatorSpec && startChild(emulatorSpec)) {
      const healthy = await waitForEmulator(emulatorPort, EMULATOR_START_TIMEOUT_MS, () => children.names().includes('emulator'));
      if (stopping) return { exitCode: await finished, project };
      if (!healthy) {
        await stop(`the emulator did not answer HEAD http://localhost:${emulatorPort}/api/health within ${EMULATOR_START_TIMEOUT_MS / 1000} s`, 1);
        return { exitCode: await finished, project };
      }
      step(`emulator ready at http://localhost:${emulatorPort} (clients: ws://localhost:${emulatorPort}/client/hubs/<hub>; negotiate through http://localhost:${port}/api/...)`);
    }
    startChild(funcSpec());
    for (const spec of others) startChild(spec);
    step('running: Ctrl-C stops everything');

    if (options.watch === true) {
      const codeDir = setup.app.code?.projectDir != null ? path.resolve(setup.projectDir, setup.app.code.projectDir) : setup.projectDir;
      const command = options.synthCommand ?? defaultSynthCommand(setup.projectDir);
      let busy = false;
      let again = false;
      const rebuild = async (file: string): Promise<void> => {
        if (busy) {
          again = true;
          return;
        }
        busy = true;
        step(`${file || 'a file'} changed: synthesizing (${command})`);
        const code = await runSynth(command, setup.projectDir, setup.outDir, log);
        if (stopping) return;
        if (code !== 0) {
          step(`synth failed${code === null ? '' : ` (exit code ${code})`}: still running the previous build`);
        } else {
          try {
            setup = loadSetup(options, cwd);
            if (setup.app.code?.contentHash === project.contentHash) {
              step('the package is unchanged: nothing to restart');
            } else {
              await children.stopOne('func');
              project = prepare();
              startChild(funcSpec());
            }
          } catch (err) {
            step(`cannot use the new build: ${err instanceof Error ? err.message : String(err)}; still running the previous one`);
          }
        }
        busy = false;
        if (again && !stopping) {
          again = false;
          void rebuild(file);
        }
      };
      stopWatching = watchSources(codeDir, (file) => void rebuild(file));
      step(`watching ${shown(codeDir)}: a change re-runs the synth and restarts func with the new package`);
    }
    return { exitCode: await finished, project };
  } finally {
    stopWatching?.();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The command line to type: the variables it needs, then the command. */
function typed(spec: ChildSpec): string {
  const vars = Object.entries(spec.shownEnv ?? {}).map(([k, v]) => `${k}=${v} `).join('');
  return `${vars}${commandLine(spec.file, spec.args)}`;
}

/** The hubs whose handlers reach `app` through the tunnel, with the service host each tunnel connects to. */
function tunnelHubs(manifest: DeploymentManifest, app: ManifestFunctionApp, outputs: DeploymentOutputs | undefined, override: string | undefined): { hub: string; host: string }[] {
  const found: { hub: string; host: string }[] = [];
  for (const service of manifest.services) {
    for (const hub of service.hubs) {
      if (!hub.eventHandlers.some((e) => e.tunnel === true && e.functionApp === app.path)) continue;
      const name = resolveValue(hub.name, outputs);
      if (name === undefined) throw new CliError(`the name of hub ${hub.path} is a Terraform output: deploy the stack with --outputs-file outputs.json first (or pass --outputs <file>)`);
      const given = override ?? resolveValue(service.hostname, outputs);
      const host = given === undefined ? undefined : bareHostName(given);
      if (!host) throw new CliError(`no host name for the Web PubSub service ${service.path}: deploy the stack with --outputs-file outputs.json first, or pass --web-pubsub-hostname`);
      checkHostName(host, `the Web PubSub host name of ${service.path}`, ': pass --web-pubsub-hostname <name>.webpubsub.azure.com');
      found.push({ hub: name, host });
    }
  }
  return found;
}
