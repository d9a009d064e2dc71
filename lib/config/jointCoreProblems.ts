/** The joint suites' two services and databases. */
const JOINT_DATABASES = ["pasukuru", "curva"] as const;

/**
 * What a joint suite (smoke, load, watch) needs of the core: both services
 * and both databases. A probe-only target (one app) may have neither.
 */
export function jointCoreProblems(
  profile: { name: string; services?: object; databases?: object },
  suite: string,
): string[] {
  const p: string[] = [];
  for (const name of JOINT_DATABASES) {
    if (!Object.hasOwn(profile.services ?? {}, name))
      p.push(
        `targets.${profile.name}: services.${name} is missing: the ${suite} drives the Curva × Pasukuru integration and needs both services (pasukuru, curva).`,
      );
  }
  for (const name of JOINT_DATABASES) {
    if (!Object.hasOwn(profile.databases ?? {}, name))
      p.push(
        `targets.${profile.name}: databases.${name} is missing: the ${suite} reads both services' databases (pasukuru, curva).`,
      );
  }
  return p;
}
