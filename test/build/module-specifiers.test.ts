import { leftoverCdktfSpecifiers, mapSpecifier, packageOf, rewriteModuleSpecifiers } from '../../build/module-specifiers';

const modules = { cdktf: 'cdktn', '@cdktf/provider-azurerm': '@cdktn/provider-azurerm' };

describe('mapSpecifier', () => {
  test.each([
    ['cdktf', 'cdktn'],
    ['cdktf/lib/app', 'cdktn/lib/app'],
    ['@cdktf/provider-azurerm', '@cdktn/provider-azurerm'],
    ['@cdktf/provider-azurerm/lib/web-pubsub', '@cdktn/provider-azurerm/lib/web-pubsub'],
    // not the same package, only a similar name: unchanged
    ['cdktf-azure-webpubsub', 'cdktf-azure-webpubsub'],
    ['cdktf-azure-webpubsub/runtime', 'cdktf-azure-webpubsub/runtime'],
    ['@cdktf/provider-azurermx', '@cdktf/provider-azurermx'],
    ['@cdktf/provider-random/lib/password', '@cdktf/provider-random/lib/password'],
    ['constructs', 'constructs'],
    ['./cdktf', './cdktf'],
    ['../cdktf/x', '../cdktf/x'],
    ['node:path', 'node:path'],
  ])('%s → %s', (from, to) => {
    expect(mapSpecifier(from, modules)).toBe(to);
  });

  test('packageOf keeps scopes and drops subpaths', () => {
    expect(packageOf('@a/b/c/d')).toBe('@a/b');
    expect(packageOf('a/b')).toBe('a');
    expect(packageOf('./a')).toBeUndefined();
  });
});

describe('rewriteModuleSpecifiers', () => {
  test('CommonJS output of tsc: require() calls change; messages, comments and other calls do not', () => {
    const js = [
      '"use strict";',
      'const cdktf_1 = require("cdktf");',
      "const web_pubsub_1 = require('@cdktf/provider-azurerm/lib/web-pubsub');",
      'const lazy = () => Promise.resolve().then(() => __importStar(require("cdktf")));',
      'const dyn = import("cdktf");',
      'const where = require.resolve("cdktf/package.json");',
      '// require("cdktf") in a comment stays',
      'throw new Error("run `cdktf deploy` after require(\\"cdktf\\")");',
      'other("cdktf");',
      'const self = require("cdktf-azure-webpubsub");',
    ].join('\n');
    const { text, changed } = rewriteModuleSpecifiers('index.js', js, modules);
    expect(changed).toBe(5);
    expect(text.split('\n')).toEqual([
      '"use strict";',
      'const cdktf_1 = require("cdktn");',
      "const web_pubsub_1 = require('@cdktn/provider-azurerm/lib/web-pubsub');",
      'const lazy = () => Promise.resolve().then(() => __importStar(require("cdktn")));',
      'const dyn = import("cdktn");',
      'const where = require.resolve("cdktn/package.json");',
      '// require("cdktf") in a comment stays',
      'throw new Error("run `cdktf deploy` after require(\\"cdktf\\")");',
      'other("cdktf");',
      'const self = require("cdktf-azure-webpubsub");',
    ]);
    expect(text.length).toBe(js.length); // same lengths: source maps stay exact
  });

  test('declaration files: import/export from, import types, import = require, declare module', () => {
    const dts = [
      'import { Construct } from "constructs";',
      'import * as cdktf from "cdktf";',
      'import type { WebPubsub } from "@cdktf/provider-azurerm/lib/web-pubsub";',
      'export { App } from "cdktf";',
      'export * from "@cdktf/provider-azurerm/lib/provider";',
      'import legacy = require("cdktf");',
      'export declare function f(x: import("cdktf").TerraformStack): import("@cdktf/provider-azurerm/lib/web-pubsub").WebPubsub;',
      'declare module "cdktf" { interface App { x: string } }',
      'export declare const note = "cdktf";',
    ].join('\n');
    const { text, changed } = rewriteModuleSpecifiers('index.d.ts', dts, modules);
    expect(changed).toBe(8);
    expect(leftoverCdktfSpecifiers('index.d.ts', text)).toEqual([]);
    expect(text).toContain('export declare const note = "cdktf";');
    expect(text).toContain('import { Construct } from "constructs";');
  });

  test('leftoverCdktfSpecifiers reports cdktf packages the map does not cover', () => {
    const js = 'require("@cdktf/provider-random/lib/password"); require("cdktf"); require("cdktf-azure-webpubsub");';
    const { text } = rewriteModuleSpecifiers('x.js', js, modules);
    expect(leftoverCdktfSpecifiers('x.js', text)).toEqual(['@cdktf/provider-random/lib/password']);
  });
});
