// An esbuild plugin for the suite bundles (workerd, Chromium): @langchain/core and zod resolve
// from the consumer project, next to the installed bedrock-edge, as in a user's project. The
// suite files live in tests/js/, whose tests/node_modules holds copies too; two copies of
// @langchain/core in one bundle would break its instanceof checks (AIMessageChunk.isInstance).
const SHARED = /^(@langchain\/core|zod)(\/|$)/;

/** The plugin; `consumerModules` is the consumer project's node_modules directory. */
export function consumerPackages(consumerModules) {
  return {
    name: "consumer-packages",
    setup(build) {
      build.onResolve({ filter: SHARED }, (args) => {
        if (args.pluginData?.fromConsumer) return undefined;
        return build.resolve(args.path, {
          kind: args.kind,
          resolveDir: consumerModules,
          pluginData: { fromConsumer: true },
        });
      });
    },
  };
}
