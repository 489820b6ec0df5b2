/**
 * The three programs `dev` runs, found on PATH (none is a dependency of this package), with the exact command line
 * and how to install each when it is missing.
 * - Azure Functions Core Tools `func start --port <port>`:
 *   https://learn.microsoft.com/azure/azure-functions/functions-run-local (install: `npm install -g azure-functions-core-tools@4`).
 * - The Web PubSub tunnel tool `awps-tunnel run --hub <hub> --endpoint <url> --upstream <url> --noWebview`, one process
 *   per hub (`--hub` takes one): Azure/azure-webpubsub `tools/awps-tunnel` (server/commander.ts options of `run`;
 *   npm `@azure/web-pubsub-tunnel-tool`, bin `awps-tunnel`), signs in with the Azure CLI login (AzureCliCredential
 *   first) and needs the Web PubSub Service Owner role;
 *   https://learn.microsoft.com/azure/azure-web-pubsub/howto-web-pubsub-tunnel-tool.
 * - The Web PubSub emulator `awps-emulator` (Azure/azure-webpubsub `tools/emulator`, .NET tool command from its
 *   csproj `ToolCommandName`), not published on NuGet yet: built from source.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The full path of `command` on `PATH` (with `PATHEXT` on Windows), or undefined. */
export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter((d) => d !== '');
  const extensions = platform === 'win32' ? (env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((e) => e !== '') : [''];
  for (const dir of dirs) {
    for (const ext of extensions) {
      const candidate = path.join(dir, command + ext);
      try {
        const stat = fs.statSync(candidate);
        if (!stat.isFile()) continue;
        if (platform !== 'win32') fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export const FUNC = 'func';
export const AWPS_TUNNEL = 'awps-tunnel';
export const AWPS_EMULATOR = 'awps-emulator';

/** `func start` arguments. */
export function funcArgs(port: number): string[] {
  return ['start', '--port', String(port)];
}

/** `awps-tunnel run` arguments for one hub. */
export function tunnelArgs(hub: string, serviceHost: string, funcPort: number, webview: { readonly port: number } | undefined): string[] {
  return [
    'run',
    '--hub',
    hub,
    '--endpoint',
    `https://${serviceHost}`,
    '--upstream',
    `http://localhost:${funcPort}`,
    ...(webview ? ['--webviewPort', String(webview.port)] : ['--noWebview']),
  ];
}

/** A command line as a user would type it (arguments quoted when needed). */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map((a) => (/^[A-Za-z0-9_@%+=:,./{}-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** How to install each tool. */
export const INSTALL_HINTS: Readonly<Record<string, string>> = {
  [FUNC]: 'install Azure Functions Core Tools v4: `npm install -g azure-functions-core-tools@4` (or see https://learn.microsoft.com/azure/azure-functions/functions-run-local)',
  [AWPS_TUNNEL]: 'install the Web PubSub tunnel tool: `npm install -g @azure/web-pubsub-tunnel-tool` (Node.js 20.17+; then `az login`)',
  [AWPS_EMULATOR]:
    'build the Web PubSub emulator from source (not on NuGet yet; needs the .NET 10 SDK): in a clone of https://github.com/Azure/azure-webpubsub run ' +
    '`dotnet pack tools/emulator/src/Microsoft.Azure.WebPubSub.Emulator --configuration Release --output artifacts/emulator` then ' +
    '`dotnet tool install --global Microsoft.Azure.WebPubSub.Emulator --version 1.0.0-beta.1 --add-source artifacts/emulator --configfile tools/emulator/NuGet.Config` ' +
    '(the version is in tools/emulator/version.props), or build its Dockerfile (tools/emulator/Dockerfile)',
};
