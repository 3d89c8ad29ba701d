// @ts-check
/**
 * TypeDoc plugin (typedoc.json `plugin`): puts every export of the `kafkats` module into one of
 * the site's categories, from where it is declared and what it is named, so that the navigation
 * reads Clients, Configuration, Events, Errors, Serdes, … instead of ~300 names in one
 * alphabetical list. A declaration with its own `@category` tag keeps it; the rule applies only
 * to the others, so a new export lands in a category without anyone remembering to tag it.
 * `kafkats/protocol` and `kafkats/testing` are one category each: their module is their topic.
 */
import { CommentTag, Converter, ReflectionKind } from 'typedoc';

/** The categories in navigation order (typedoc.json `categoryOrder` repeats it). */
export const CATEGORIES = [
  'Clients',
  'Configuration',
  'Messages and results',
  'Events',
  'Errors',
  'Serdes',
  'Protocol',
  'Testing',
];

const CLIENTS = new Set([
  'Kafka',
  'Producer',
  'Consumer',
  'Admin',
  'ShareConsumer',
  'Transaction',
  'DeliveryReport',
]);

/**
 * @param {string} name the exported name
 * @param {string} file the declaring file, relative to src/ (empty when unknown)
 * @returns {string} the category
 */
export function categoryOf(name, file) {
  if (file.startsWith('protocol/') && !/Error$/.test(name) && !/Compression/.test(name)) return 'Protocol';
  if (file.startsWith('testing/')) return 'Testing';
  if (CLIENTS.has(name)) return 'Clients';
  if (/Error$|^KafkaJS[A-Z]/.test(name) || file.startsWith('errors/') || file.endsWith('/errors.ts')) {
    return /^KafkaJS.*(Args|Options)$/.test(name) ? 'Configuration' : 'Errors';
  }
  if (file.startsWith('serdes/')) return 'Serdes';
  if (
    file.startsWith('instrumentation/') ||
    file.startsWith('observability/') ||
    file.endsWith('/events.ts') ||
    /Events?$|EventMap$|EventName$|EventPayloads$|_EVENTS$|Channel$|^Network.*Payload$|GroupJoinPayload$/.test(
      name,
    )
  ) {
    return 'Events';
  }
  if (
    /(Options|Option|Config|Configuration|Args|Settings|Mode|Policy|Level|Creator|Strategy)$/.test(name) ||
    /^(log|Log|Logger|Partitioner|Assigner|Compression|Sasl|Oauthbearer|Scram|Plain|Aws|Msk|Oidc|SocketFactory|Acks|Brokers|RebalanceProtocol|ExternalLogger|SecretProvider|AuthenticationProvider|CustomSasl)/.test(
      name,
    ) ||
    file.startsWith('network/sasl/') ||
    file.includes('/partitioners/') ||
    file.includes('/assignors/')
  ) {
    return 'Configuration';
  }
  return 'Messages and results';
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    (context) => {
      const project = context.project;
      for (const module of project.getChildrenByKind(ReflectionKind.Module)) {
        for (const child of module.children ?? []) {
          const declared = child.comment?.blockTags.some((t) => t.tag === '@category');
          const signatureDeclared = child.signatures?.some((s) =>
            s.comment?.blockTags.some((t) => t.tag === '@category'),
          );
          if (declared || signatureDeclared) continue;
          const file = project.getSymbolIdFromReflection(child)?.fileName ?? '';
          const relative = file.includes('/src/') ? file.slice(file.lastIndexOf('/src/') + 5) : '';
          const category =
            module.name === 'kafkats/protocol'
              ? 'Protocol'
              : module.name === 'kafkats/testing'
                ? 'Testing'
                : categoryOf(child.name, relative);
          // An undocumented export gets no comment made up for it: TypeDoc's notDocumented
          // validation would count the tag as documentation. It stays in the default category,
          // where it is easy to see.
          const target = child.comment ?? child.signatures?.[0]?.comment;
          target?.blockTags.push(new CommentTag('@category', [{ kind: 'text', text: category }]));
        }
      }
    },
    // before TypeDoc's CategoryPlugin (priority -200) reads the tags
    100,
  );
}
