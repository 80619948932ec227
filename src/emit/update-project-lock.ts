/** `npm run update:project-lock`: templates/project/package-lock.json from mockgen's own lock file. */
import { packageRoot } from '../paths';
import { projectDependencies } from './plan-files';
import { updateProjectLock } from './project-lock';

if (require.main === module) {
  process.stdout.write(`wrote ${updateProjectLock(packageRoot, projectDependencies())}\n`);
}
