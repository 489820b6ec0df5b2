/**
 * Constructs of one edition in an app of the other fail when they are created, with an error that names both cores
 * and the package to use, instead of a TypeError deep inside the other core's synth. Runs in both Jest projects:
 * "ours" is the edition the project maps `cdktf` to, "theirs" the other core, loaded by path so no mapping applies.
 */
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ApplyTimeCommand } from '../../lib/core/apply-time-command';
import { AzapiProvider } from '../../lib/azapi/azapi-provider';
import { MixedCdkEditionError } from '../../lib/core/edition-guard';
import { FunctionHostStorage } from '../../lib/functions/function-host-storage';
import { FunctionCode } from '../../lib/code/function-code';
import { ServerlessWebPubSub } from '../../lib/patterns/serverless-web-pubsub';
import { WebPubSubFunctionApp } from '../../lib/functions/web-pubsub-function-app';
import { WebPubSubService } from '../../lib/webpubsub/web-pubsub-service';
import { newStack, synthStack } from '../core/synth-helpers';

declare const CDK_EDITION: 'cdktf' | 'cdktn';
const ours = CDK_EDITION;
const theirs = ours === 'cdktf' ? 'cdktn' : 'cdktf';
const theirCore = require(path.resolve(__dirname, '..', '..', 'node_modules', theirs)) as typeof import('cdktf');
const packageOf = { cdktf: 'cdktf-azure-webpubsub', cdktn: 'cdktn-azure-webpubsub' };

function theirStack(): TerraformStack {
  const app = new theirCore.App({ outdir: path.join(require('node:os').tmpdir(), 'unused-outdir') });
  return new theirCore.TerraformStack(app, 'mixed') as unknown as TerraformStack;
}

const topologyProps = { resourceGroupProps: { location: 'westeurope' }, hubs: [{ name: 'chat', systemEvents: ['connect' as const] }] };

describe(`${ours} constructs in a ${theirs} app`, () => {
  test('the loaded cores really differ (the other one is not mapped)', () => {
    expect(theirCore.TerraformStack).not.toBe(TerraformStack);
    expect(TerraformStack.isStack(theirStack())).toBe(true); // shared Symbol.for markers: why a check is needed
  });

  test('ServerlessWebPubSub fails at creation, naming both cores and the package to use', () => {
    const stack = theirStack();
    expect(() => new ServerlessWebPubSub(stack, 'Chat', topologyProps)).toThrow(MixedCdkEditionError);
    expect(() => new ServerlessWebPubSub(stack, 'Chat2', topologyProps)).toThrow(
      new RegExp(
        `^mixed/Chat2: ServerlessWebPubSub is from ${packageOf[ours]} \\(built for ${ours}\\), but its scope "mixed" belongs to a ${theirs} \\d+\\.\\d+\\.\\d+ app\\. ` +
          `Constructs of ${ours} and ${theirs} cannot be mixed in one app: in a ${theirs} app import the constructs from ${packageOf[theirs]} ` +
          `\\(and the providers from @${theirs}/provider-\\*\\)\\.$`,
      ),
    );
  });

  test.each([
    ['AzapiProvider', (s: Construct) => new AzapiProvider(s, 'azapi')],
    ['FunctionCode', (s: Construct) => new FunctionCode(s, 'Code', { projectDir: __dirname, entryPoints: ['none.ts'] })],
    ['WebPubSubService.fromWebPubSubServiceAttributes', (s: Construct) => WebPubSubService.fromWebPubSubServiceAttributes(s, 'Wps', { serviceId: '/x/wps', hostname: 'wps.webpubsub.azure.com' })],
    [
      'WebPubSubFunctionApp.fromWebPubSubFunctionAppAttributes',
      (s: Construct) => WebPubSubFunctionApp.fromWebPubSubFunctionAppAttributes(s, 'App', { appId: '/x/app', defaultHostname: 'app.azurewebsites.net', principalId: '00000000-0000-0000-0000-000000000001' }),
    ],
    ['FunctionHostStorage.fromFunctionHostStorageAttributes', (s: Construct) => FunctionHostStorage.fromFunctionHostStorageAttributes(s, 'Storage', { accountId: '/x/st', accountName: 'st' })],
    ['ApplyTimeCommand (terraform_data)', (s: Construct) => new ApplyTimeCommand(s, 'Step', { subcommand: 'publish', environment: {}, triggers: {}, dependsOn: [] })],
  ])('%s fails too, also under a plain Construct inside their stack', (_name, create) => {
    expect(() => create(theirStack())).toThrow(MixedCdkEditionError);
    expect(() => create(new Construct(theirStack(), 'Group'))).toThrow(MixedCdkEditionError);
  });

  test('their core’s App directly as scope fails as well', () => {
    const app = new theirCore.App({ outdir: path.join(require('node:os').tmpdir(), 'unused-outdir') });
    expect(() => new AzapiProvider(app as unknown as Construct, 'azapi')).toThrow(/belongs to a .* app/);
  });
});

describe(`${ours} constructs in a ${ours} app`, () => {
  test('are accepted and synthesize (the check passes its own core, also from a stack subclass)', () => {
    class MyStack extends TerraformStack {}
    const { app } = newStack('plain');
    const stack = new MyStack(app as App, 'mine');
    new AzapiProvider(stack, 'azapi');
    const { json } = synthStack(app, stack);
    expect(Object.keys(json.provider)).toEqual(['azapi']);
  });
});

describe('every construct class in lib/ checks its scope', () => {
  // A class whose base comes from cdktf, constructs or a provider binding must call assertSameCdkEdition(this) in its
  // constructor (LibraryConstruct does, for every construct built on it); classes extending one of lib's own classes
  // inherit the check. Keeps new constructs covered: one that extends Construct directly fails here.
  const ts = require('typescript') as typeof import('typescript');
  const libDir = path.resolve(__dirname, '..', '..', 'lib');
  const files = (ts.sys.readDirectory(libDir, ['.ts']) as string[]).filter((f) => !f.includes('/runtime/') && !f.endsWith('.d.ts'));

  const unguarded: string[] = [];
  let checked = 0;
  let viaBase = 0;
  for (const file of files) {
    const source = ts.createSourceFile(file, ts.sys.readFile(file)!, ts.ScriptTarget.Latest, true);
    const externalNames = new Set<string>();
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      if (!/^(cdktf|constructs)(\/|$)|^@cdktf\//.test(statement.moduleSpecifier.text)) continue;
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) externalNames.add(e.name.text);
    }
    const visit = (node: import('typescript').Node): void => {
      if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && node.heritageClauses) {
        const base = node.heritageClauses.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression.getText(source);
        if (base === 'LibraryConstruct' || base === 'GrantableResource') viaBase++;
        if (base !== undefined && externalNames.has(base)) {
          checked++;
          const ctor = node.members.find(ts.isConstructorDeclaration);
          if (!ctor?.body?.getText(source).includes('assertSameCdkEdition(this)')) {
            unguarded.push(`${path.relative(libDir, file)}: ${node.name?.text ?? '(anonymous)'} extends ${base}`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  // LibraryConstruct (the base that checks once) and the bindings built on a core class (TerraformResource, …).
  test('found the classes built on an external base', () => expect(checked).toBeGreaterThanOrEqual(6));
  test('the constructs inherit the check from LibraryConstruct (directly or through GrantableResource)', () => expect(viaBase).toBeGreaterThanOrEqual(15));
  test('none without assertSameCdkEdition(this)', () => expect(unguarded).toEqual([]));
});
