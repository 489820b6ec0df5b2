import {
  APPLICATION_INSIGHTS_NAME,
  AzureNameRule,
  FUNCTION_APP_NAME,
  LOG_ANALYTICS_WORKSPACE_NAME,
  RESOURCE_GROUP_NAME,
  SERVICE_PLAN_NAME,
  STORAGE_ACCOUNT_NAME,
  STORAGE_CONTAINER_NAME,
  USER_ASSIGNED_IDENTITY_NAME,
  validateAzureName,
  WEB_PUBSUB_HUB_NAME,
  WEB_PUBSUB_HUB_NAME_RULE,
  WEB_PUBSUB_NAME,
} from '../../lib/validation/azure-resource-names';
import { errorOf, scope, stringToken } from './helpers';

const accepts = (rule: AzureNameRule, name: string) => expect(() => validateAzureName(scope(), 'name', name, rule)).not.toThrow();
const rejects = (rule: AzureNameRule, name: string) => expect(() => validateAzureName(scope(), 'name', name, rule)).toThrow(/`name` must be a/);

describe('name rules: shortest and longest accepted, one past each rejected', () => {
  test.each([
    ['Web PubSub service', WEB_PUBSUB_NAME, 'abc', 'a'.repeat(63)],
    ['Web PubSub hub', WEB_PUBSUB_HUB_NAME_RULE, 'a', 'a'.repeat(128)],
    ['function app', FUNCTION_APP_NAME, 'a1', 'a'.repeat(60)],
    ['service plan', SERVICE_PLAN_NAME, 'a', 'a'.repeat(60)],
    ['storage account', STORAGE_ACCOUNT_NAME, 'abc', 'a'.repeat(24)],
    ['blob container', STORAGE_CONTAINER_NAME, 'abc', 'a'.repeat(63)],
    ['user-assigned identity', USER_ASSIGNED_IDENTITY_NAME, 'abc', 'a'.repeat(128)],
    ['resource group', RESOURCE_GROUP_NAME, 'a', 'a'.repeat(90)],
    ['Log Analytics workspace', LOG_ANALYTICS_WORKSPACE_NAME, 'abcd', 'a'.repeat(63)],
    ['Application Insights', APPLICATION_INSIGHTS_NAME, 'a', 'a'.repeat(260)],
  ])('%s', (_label, rule, shortest, longest) => {
    accepts(rule, shortest);
    accepts(rule, longest);
    rejects(rule, longest + 'a');
    if (rule.minLength > 1) {
      expect(shortest).toHaveLength(rule.minLength);
      expect(() => validateAzureName(scope(), 'name', shortest.slice(1), rule)).toThrow(/characters \(\d+ given\)/);
    }
  });
});

describe('Web PubSub hub names', () => {
  test('accept the characters the service allows: _ ` , . [ ]', () => {
    accepts(WEB_PUBSUB_HUB_NAME_RULE, 'chat_v2');
    accepts(WEB_PUBSUB_HUB_NAME_RULE, 'a.b,c[1]`x');
  });

  test('must start with a letter and contain no hyphen or space', () => {
    expect(errorOf(() => validateAzureName(scope(), 'name', '1chat', WEB_PUBSUB_HUB_NAME_RULE))).toBe(
      'Stack/Thing: `name` must be a Web PubSub hub name of letters, digits and _ ` , . [ ], starting with a letter, got "1chat"',
    );
    rejects(WEB_PUBSUB_HUB_NAME_RULE, 'chat-room');
    rejects(WEB_PUBSUB_HUB_NAME_RULE, 'chat room');
  });

  test('the deprecated strict rule still rejects "a.b" (kept until the constructs switch)', () => {
    rejects(WEB_PUBSUB_HUB_NAME, 'a.b');
  });
});

describe('blob container names', () => {
  test.each(['a--b', '-ab', 'ab-', 'Ab1', 'a_b', '$web', '$root'])('reject %p', (name) => rejects(STORAGE_CONTAINER_NAME, name));
  test.each(['function-packages', '123', 'a-1-b'])('accept %p', (name) => accepts(STORAGE_CONTAINER_NAME, name));
});

describe('Application Insights names', () => {
  test('reject % & \\ ? /, control characters, and a trailing space or period', () => {
    for (const name of ['a%b', 'a&b', 'a\\b', 'a?b', 'a/b', 'a\tb', 'ab ', 'ab.']) rejects(APPLICATION_INSIGHTS_NAME, name);
  });

  test('accept spaces and punctuation inside', () => accepts(APPLICATION_INSIGHTS_NAME, 'My App (prod) #1'));
});

describe('validateAzureName', () => {
  test('rejects a non-string (JavaScript callers)', () => {
    expect(() => validateAzureName(scope(), 'name', 42 as unknown as string, FUNCTION_APP_NAME)).toThrow(/must be a Function App .*got 42/);
  });

  test('skips tokens', () => {
    expect(() => validateAzureName(scope(), 'name', stringToken(), STORAGE_CONTAINER_NAME)).not.toThrow();
  });
});
