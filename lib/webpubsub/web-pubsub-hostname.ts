import { Fn, Lazy, TerraformProvider, TerraformStack, Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { validateHostname } from '../validation/endpoints';
import { InvalidPropError } from '../validation/invalid-prop-error';
import { warnAtSynth } from '../core/synth-messages';

/**
 * The DNS suffix of Web PubSub host names in the Azure public cloud: ARM returns a service's `hostName` as
 * `<name lower-cased>.webpubsub.azure.com` (REST API spec example `WebPubSub_CreateOrUpdate`: name
 * `myWebPubSubService`, `hostName` `mywebpubsubservice.webpubsub.azure.com`;
 * https://learn.microsoft.com/rest/api/webpubsub/controlplane/web-pub-sub/create-or-update).
 */
export const PUBLIC_CLOUD_WEB_PUBSUB_DNS_SUFFIX = 'webpubsub.azure.com';

/**
 * Where the host name a Function App is given for a Web PubSub service (its `<prefix>__serviceUri` setting) comes
 * from. Built at synth from the service's name, the app does not wait for the service's creation (minutes) before
 * it is created itself; read from the service's `hostname` attribute, it does.
 */
export class WebPubSubHostnameSource {
  /** `<name>.webpubsub.azure.com`: the Azure public cloud. */
  public static publicCloud(): WebPubSubHostnameSource {
    return new WebPubSubHostnameSource('dnsSuffix', PUBLIC_CLOUD_WEB_PUBSUB_DNS_SUFFIX);
  }

  /**
   * `<name>.<suffix>`, for a cloud whose Web PubSub host names end in another suffix: take it from the `hostName`
   * ARM returns for a service in that cloud (`az webpubsub show --query hostName`), without the service name.
   */
  public static dnsSuffix(suffix: string): WebPubSubHostnameSource {
    return chosen(new WebPubSubHostnameSource('dnsSuffix', suffix));
  }

  /**
   * The service's `hostname` attribute as ARM returns it: right in every cloud, but everything that reads it (the
   * function app's settings, hence the app and its code) waits until the service is created.
   */
  public static serviceAttribute(): WebPubSubHostnameSource {
    return chosen(new WebPubSubHostnameSource('serviceAttribute', undefined));
  }

  private constructor(
    /** `dnsSuffix`: built from the name; `serviceAttribute`: the resource's attribute. */
    public readonly kind: 'dnsSuffix' | 'serviceAttribute',
    /** The DNS suffix, for `dnsSuffix`. */
    public readonly suffix: string | undefined,
  ) {}
}

// Sources the user chose (not the default `publicCloud()`), which the provider's `environment` does not override.
// Module-private, so the public type carries only what it describes.
const CHOSEN = new WeakSet<WebPubSubHostnameSource>();
function chosen(source: WebPubSubHostnameSource): WebPubSubHostnameSource {
  CHOSEN.add(source);
  return source;
}

/**
 * The `https://` URI of a new service for the apps that connect to it: built from the name when the source says so,
 * else the service's `hostname` attribute. Decided at synth (the stack's providers are all there by then): with the
 * default source, an azurerm provider of the stack whose `environment` names another cloud keeps the attribute.
 * A name with tokens (the default name ends with the deployment suffix) keeps them, each lower-cased by Terraform's
 * `lower()`: the value then references what the name references (a `random_string`), never the service.
 */
export function serviceUriFor(scope: IConstruct, name: string, source: WebPubSubHostnameSource, hostnameAttribute: string): string {
  if (source.kind === 'serviceAttribute') return `https://${hostnameAttribute}`;
  const suffix = source.suffix!;
  try {
    validateHostname(scope, 'hostnameSource', suffix);
  } catch {
    throw new InvalidPropError(scope, 'hostnameSource', suffix, 'must be a DNS suffix such as webpubsub.azure.com (no scheme, port, path or trailing dot)');
  }
  const fromName = `https://${lowerCased(name)}.${lowerCased(suffix)}`;
  if (CHOSEN.has(source)) return fromName;
  // The cloud may be chosen only by ARM_ENVIRONMENT. Read here only to warn: the output never depends on it.
  const environment = process.env.ARM_ENVIRONMENT?.trim().toLowerCase();
  if (environment && environment !== 'public') {
    warnAtSynth(
      scope,
      `ARM_ENVIRONMENT is "${environment}", but connected function apps are given the service's host name built with the public cloud's Web PubSub suffix (<name>.${PUBLIC_CLOUD_WEB_PUBSUB_DNS_SUFFIX}): ` +
        "set `hostnameSource` (WebPubSubHostnameSource.dnsSuffix('<suffix of this cloud>') or .serviceAttribute()), or the azurerm provider's `environment`; otherwise activate-webhook stops the deploy before any hub is created",
    );
  }
  let decided: string | undefined;
  return Lazy.stringValue({ produce: () => (decided ??= providerNamesAnotherCloud(scope) ? `https://${hostnameAttribute}` : fromName) });
}

/**
 * True when an azurerm provider of the stack sets `environment` (at synth) to a cloud other than `public`
 * (https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs#environment). The provider may also be
 * told by `ARM_ENVIRONMENT` at apply, which synth cannot see: `activate-webhook` then stops the deploy before any
 * hub is created, naming `hostnameSource`.
 */
function providerNamesAnotherCloud(scope: IConstruct): boolean {
  return TerraformStack.of(scope)
    .node.findAll()
    .some((c) => {
      if (!(c instanceof TerraformProvider) || c.terraformResourceType !== 'azurerm') return false;
      const environment = (c as unknown as { environment?: unknown }).environment;
      return typeof environment === 'string' && !Token.isUnresolved(environment) && environment.toLowerCase() !== 'public';
    });
}

/** The value lower-cased: its literal text here, each token by Terraform's `lower()`. */
function lowerCased(value: string): string {
  if (!Token.isUnresolved(value)) return value.toLowerCase();
  let rest = value;
  let out = '';
  for (const token of Tokenization.reverseString(value).tokens.map((t) => Token.asString(t))) {
    const at = rest.indexOf(token);
    if (at < 0) return Fn.lower(value); // not expected: every token of a string appears in it as encoded
    out += rest.slice(0, at).toLowerCase() + Fn.lower(token);
    rest = rest.slice(at + token.length);
  }
  return out + rest.toLowerCase();
}
