import type { ClusterManager } from './clusters/clusterManager';
import type { CommandContext } from './commands/commandContext';
import type { ClustersTreeProvider } from './tree/clustersTreeProvider';
import type { Prompter } from './ui/prompter';

/**
 * Handed to the integration tests by `activate` in ExtensionMode.Test only. In any other mode
 * `activate` returns nothing: another extension must never be able to answer our confirmations.
 */
export interface TestApi {
  readonly manager: ClusterManager;
  readonly tree: ClustersTreeProvider;
  setPrompter(prompter: Prompter): void;
  resetPrompter(): void;
}

export function createTestApi(ctx: CommandContext, defaultPrompter: Prompter): TestApi {
  return {
    manager: ctx.manager,
    tree: ctx.tree,
    setPrompter: (prompter) => {
      ctx.prompter = prompter;
    },
    resetPrompter: () => {
      ctx.prompter = defaultPrompter;
    },
  };
}
