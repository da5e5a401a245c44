// A bounded wait: true when `task` settled (either way) within `ms`, false when the time ran out first.
// The task keeps running; the caller decides what to do about it (close what it waits on, log...).
export async function finishesWithin(task: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      task.then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
