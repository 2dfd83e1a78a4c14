import type { TestApi } from '../../../src/testApi';
import { getExtension } from '../manifest';

/** The TestApi that `activate` returns in ExtensionMode.Test (undefined in any other mode). */
export async function testApi(): Promise<TestApi> {
  const api = (await getExtension().activate()) as TestApi | undefined;
  if (!api) throw new Error('activate() returned no TestApi: is the host running in ExtensionMode.Test?');
  return api;
}
