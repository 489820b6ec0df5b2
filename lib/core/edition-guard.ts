import { TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { CdkCore, EDITIONS, LibraryEdition } from '../common/editions';

/*
 * The cores share their `Symbol.for` type markers, so a construct of one edition placed in an app of the other is
 * accepted when it is created and fails later, deep inside synth (cdktn: `e._resetResolveDiscoveredProviderFeatureUsage
 * is not a function`), or slips through half-working; TypeScript accepts both, since every construct takes a plain
 * `constructs` Construct as scope. Every construct therefore checks its scope when it is created and names the package
 * to use instead.
 */

const JSII_RTTI = Symbol.for('jsii.rtti');

interface LoadedCore {
  readonly name: CdkCore;
  readonly version: string;
}

/** The core (`cdktf` or `cdktn`) a class belongs to, from the jsii type info its classes inherit (`cdktf.App`, …). */
function cdkCoreOf(type: unknown): LoadedCore | undefined {
  const rtti = (type as Record<symbol, { fqn?: unknown; version?: unknown } | undefined> | undefined)?.[JSII_RTTI];
  const match = typeof rtti?.fqn === 'string' ? /^(cdktf|cdktn)\./.exec(rtti.fqn) : null;
  return match ? { name: match[1] as CdkCore, version: String(rtti?.version) } : undefined;
}

/** The core this copy of the library is loaded with: the `cdktf` import of the sources, `cdktn` in the cdktn edition. */
const OWN_CORE: LoadedCore = cdkCoreOf(TerraformStack) ?? { name: 'cdktf', version: 'unknown' };

/** The edition of this copy of the library (its package and bin name follow from it). */
export const LIBRARY_EDITION: LibraryEdition = EDITIONS[OWN_CORE.name];

/**
 * Thrown when a construct of one edition is created in an app of the other: constructs of `cdktf-azure-webpubsub`
 * in a cdktn app, or of `cdktn-azure-webpubsub` in a cdktf app.
 */
export class MixedCdkEditionError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'MixedCdkEditionError';
  }
}

/**
 * Fails when the nearest stack or app above the construct belongs to the other CDK core. Two copies of the same core
 * (say two cdktf versions) are not this check's business: only cdktf vs cdktn is reported.
 */
export function assertSameCdkEdition(construct: IConstruct): void {
  for (let scope = construct.node.scope; scope !== undefined; scope = scope.node.scope) {
    const core = cdkCoreOf(scope.constructor);
    if (core === undefined) continue; // plain constructs, provider resources: look further up
    if (core.name === OWN_CORE.name) return;
    throw new MixedCdkEditionError(
      `${construct.node.path}: ${construct.constructor.name} is from ${LIBRARY_EDITION.packageName} (built for ${OWN_CORE.name}), but its scope ` +
        `"${scope.node.path || '(app root)'}" belongs to a ${core.name} ${core.version} app. Constructs of ${OWN_CORE.name} and ` +
        `${core.name} cannot be mixed in one app: in a ${core.name} app import the constructs from ${EDITIONS[core.name].packageName} ` +
        `(and the providers from @${core.name}/provider-*).`,
    );
  }
}

/**
 * The base of every construct of this library that extends `Construct`: it checks the edition once, here, instead of in
 * each constructor. (Classes built on a core class, such as the hand-written resource bindings, call
 * {@link assertSameCdkEdition} themselves.)
 */
export class LibraryConstruct extends Construct {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    assertSameCdkEdition(this);
  }
}
