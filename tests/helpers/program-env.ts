// The environment a test gives a program it starts (the headless station, the browser host, Electron):
// this process's own, without any STATION_* setting of the developer's shell, plus the test's settings.
export function programEnv(settings: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('STATION_')) env[k] = v;
  return Object.assign(env, settings);
}
